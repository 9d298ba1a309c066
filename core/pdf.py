"""Documents made as PDF on the server (WeasyPrint), to file or pass on."""

from django.http import HttpResponse


def pdf_response(html: str, *, base_url: str, filename: str) -> HttpResponse:
    """`html` (a page with its styles inline: WeasyPrint fetches nothing) as a PDF download."""
    # Imported here: WeasyPrint loads Pango as it is imported, which no other page needs.
    from weasyprint import HTML

    response = HttpResponse(HTML(string=html, base_url=base_url).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
