"""The profile fields asked at registration, added to the core's registration form."""

from __future__ import annotations

from plugins.profiles.interfaces import IProfileService

PREFIX = "profile_"


def _fields(request):
    service = request.find_service(IProfileService)
    return [field for field in service.fields if field.at_registration]


def registration_fields(request) -> dict:
    service = request.find_service(IProfileService)
    return {f"{PREFIX}{field.id}": service.type_of(field).form_field(field)
            for field in _fields(request)}


def save_registration(request, user, data: dict) -> None:
    """Create the new member's profile and store the answers with each field's default."""
    service = request.find_service(IProfileService)
    service.ensure_profile(user)
    values = {field: data.get(f"{PREFIX}{field.id}") for field in _fields(request)
              if f"{PREFIX}{field.id}" in data}
    service.save_values(user, values, existing={}, actor=user)


def includeme(config):
    config.add_registration_extension("profiles", registration_fields, save_registration,
                                      order=10)
