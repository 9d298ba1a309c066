import factory
from django.contrib.auth.models import Group

from casebook.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@casebook.invalid")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(user, create, roles, **kwargs):
        if create and roles:
            user.groups.set(Group.objects.filter(name__in=roles))
            user.is_staff = "admin" in roles
            user.save(update_fields=["is_staff"])
