"""Display names cannot pass for another identity (registration, the admin, the directory)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.names import MAX_LENGTH, clean_display_name, directory_display_name, display_name
from tests.factories import UserFactory

User = get_user_model()
PASSWORD = "amber-lantern-quietly-42"
HANGUL_FILLER, BRAILLE_BLANK, IDEOGRAPHIC_SPACE, RLO, ZWJ, NBSP = (
    "\u3164",
    "\u2800",
    "\u3000",
    "\u202e",
    "\u200d",
    "\xa0",
)
SPOOF = "Sam Steward <steward@example.org>"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("  Pat   Planner  ", "Pat Planner"),
        ("Pat\r\nPlanner", "Pat Planner"),
        (f"Pat{NBSP}{IDEOGRAPHIC_SPACE}\tPlanner", "Pat Planner"),
        (f"Pat {HANGUL_FILLER * 60}", "Pat"),
        (f"Pat {BRAILLE_BLANK * 60} Planner", "Pat Planner"),
        (f"{RLO}gro.elpmaxe", "gro.elpmaxe"),
        (f"Pat{ZWJ}rick\u200b\ufeff\u00ad", "Patrick"),
        ("Ｐａｔ", "Pat"),  # fullwidth letters read as the letters
        ("Zoë Ó Súilleabháin", "Zoë Ó Súilleabháin"),
        ("山田 太郎", "山田 太郎"),
        ("", ""),
        (None, ""),
    ],
)
def test_display_name_drops_what_does_not_show_and_collapses_blanks(typed, shown):
    assert display_name(typed) == shown


@pytest.mark.parametrize(
    "typed",
    [
        SPOOF,
        "Sam Steward ＜steward＠example.org＞",  # fullwidth forms of < @ >
        "Sam Steward ﹤steward﹫example.org﹥",  # small forms
        "Sam Steward ‹steward›",
        "steward@example.org",
        "x" * (MAX_LENGTH + 1),
    ],
)
def test_names_that_could_pass_for_an_address_or_run_long_are_refused(typed):
    with pytest.raises(ValidationError):
        clean_display_name(typed)


def test_a_directory_name_is_cleaned_not_refused():
    assert directory_display_name(f"{SPOOF}{RLO}") == "Sam Steward steward example.org"
    assert directory_display_name("y" * 200) == "y" * MAX_LENGTH


# Registration


def register(client: Client, name: str):
    data = {"email": "new.planner@hospital.org", "name": name, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("accounts:register"), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        SPOOF + HANGUL_FILLER * 60,
        f"Sam Steward{BRAILLE_BLANK * 60}<steward@example.org>",
        "Sam Steward\r\n<steward@example.org>",
        "z" * (MAX_LENGTH + 1),
    ],
)
def test_registration_refuses_a_spoofing_name_with_a_form_error(client, name):
    response = register(client, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "A name cannot contain &lt;, &gt; or @" in page or f"at most {MAX_LENGTH} characters" in page
    assert 'class="form-control is-invalid"' in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_registration_keeps_the_name_as_it_shows(client):
    assert register(client, f"  Pat{HANGUL_FILLER * 60}\r\n{RLO}Planner{ZWJ} ").status_code == 302
    user = User.objects.get()
    assert user.name == "Pat Planner"
    assert str(user) == "Pat Planner <new.planner@hospital.org>"  # as history and owner lists show it


@pytest.mark.django_db
def test_the_model_refuses_a_name_no_form_cleaned():
    user = UserFactory.build(email="x@example.org", name=f"Pat{RLO}")
    with pytest.raises(ValidationError, match="control or format characters"):
        user.full_clean(exclude=["password"])
    user.name = SPOOF
    with pytest.raises(ValidationError, match="cannot contain"):
        user.full_clean(exclude=["password"])


# The admin


@pytest.mark.django_db
def test_the_admin_cleans_and_refuses_names_like_registration(admin_client, planner):
    url = reverse("admin:accounts_user_change", args=[planner.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: form[k].value() if form[k].value() is not None else "" for k in form.fields}
    data.pop("password", None)
    data["groups"] = data["user_permissions"] = []
    refused = admin_client.post(url, {**data, "name": SPOOF})
    assert refused.status_code == 200 and "A name cannot contain &lt;, &gt; or @" in refused.content.decode()
    planner.refresh_from_db()
    assert planner.name == "Pat Planner"
    saved = admin_client.post(url, {**data, "name": f" Pat{NBSP}{NBSP}Planner-Jones{RLO} "})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    planner.refresh_from_db()
    assert planner.name == "Pat Planner-Jones"


@pytest.mark.django_db
def test_the_admin_add_form_refuses_a_spoofing_name(admin_client):
    data = {"email": "new@example.org", "name": SPOOF, "role": "planner", "password1": PASSWORD, "password2": PASSWORD}
    response = admin_client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 200 and "A name cannot contain" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()
