// A submit button marked data-confirm="question" asks the question in a dialog before its
// form is sent, and sends it only on yes, with the form's confirm box ticked: the server
// refuses these actions without it. Without JavaScript the box ([data-confirm-box]) shows,
// to be ticked by hand. (Scripts must be files: CSP.)
//
// A question can say what the form holds as the button is pressed: {name} stands for the
// form's field `name` as chosen (a select's option) or, for a formset's prefix, the number
// of its rows filled in.

const dialog = document.createElement("dialog");
dialog.className = "casebook-confirm";
dialog.setAttribute("aria-labelledby", "casebook-confirm-question");
dialog.innerHTML = `<form method="dialog">
  <p class="casebook-confirm__question" id="casebook-confirm-question"></p>
  <ul class="usa-button-group">
    <li class="usa-button-group__item"><button type="submit" class="usa-button" value="yes"></button></li>
    <li class="usa-button-group__item"><button type="submit" class="usa-button usa-button--outline" value="no" autofocus>Cancel</button></li>
  </ul>
</form>`;
document.body.append(dialog);
const question = dialog.querySelector("p");
const yes = dialog.querySelector('button[value="yes"]');

document.querySelectorAll("[data-confirm-box]").forEach((box) => {
  box.hidden = true;
});

function filledRows(form, prefix) {
  const total = Number(form.elements.namedItem(`${prefix}-TOTAL_FORMS`).value);
  let filled = 0;
  for (let row = 0; row < total; row += 1) {
    const fields = Array.from(form.elements).filter((field) => field.name.startsWith(`${prefix}-${row}-`));
    if (fields.some((field) => field.value.trim())) filled += 1;
  }
  return filled;
}

function asked(form, text) {
  return text.replace(/\{([\w-]+)\}/g, (token, name) => {
    if (form.elements.namedItem(`${name}-TOTAL_FORMS`)) return String(filledRows(form, name));
    const field = form.elements.namedItem(name);
    if (!field) return token;
    if (!field.value) return "none";
    return field.selectedOptions ? field.selectedOptions[0].text : field.value;
  });
}

let pending = null; // the form and button waiting for an answer
let confirmed = null; // the form being sent after a yes

document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (!button || !button.hasAttribute("data-confirm") || event.target === confirmed) return;
  event.preventDefault();
  pending = { form: event.target, button };
  const action = button.textContent.trim().replace(/\s+/g, " ");
  question.textContent = asked(event.target, button.dataset.confirm);
  yes.textContent = `Yes, ${action.charAt(0).toLowerCase()}${action.slice(1)}`;
  dialog.returnValue = "";
  dialog.showModal();
});

dialog.addEventListener("close", () => {
  const { form, button } = pending;
  pending = null;
  if (dialog.returnValue !== "yes") return;
  form.elements.namedItem("confirm").checked = true;
  confirmed = form;
  form.requestSubmit(button);
  confirmed = null;
});
