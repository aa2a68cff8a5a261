"""WTForms bound to Pyramid requests: labels, descriptions and errors in the reader's language."""

from __future__ import annotations

import wtforms
from pyramid.i18n import TranslationString


class _FormData:
    """WebOb's MultiDict speaks ``getall``; WTForms asks for ``getlist``."""

    def __init__(self, multidict, file_fields=frozenset()):
        self.multidict = multidict
        self.file_fields = file_fields

    def __iter__(self):
        return iter(self.multidict)

    def __len__(self):
        return len(self.multidict)

    def __contains__(self, name):
        return name in self.multidict

    def getlist(self, name):
        values = self.multidict.getall(name)
        if name in self.file_fields:  # uploads only where a file is expected, text elsewhere
            return [value for value in values if hasattr(value, "file")]
        return [value for value in values if isinstance(value, str)]


class Form(wtforms.Form):
    """Create with ``MyForm(request)``: it reads POST data on POST requests."""

    class Meta:
        locales = ("en",)

    def __init__(self, request, obj=None, data=None, **kwargs):
        self.request = request
        file_fields = frozenset(
            name for name, unbound in self._unbound_fields
            if issubclass(unbound.field_class, (wtforms.FileField, wtforms.MultipleFileField))
        )
        formdata = _FormData(request.POST, file_fields) if request.method == "POST" else None
        meta = {"locales": (request.locale_name, "en")}
        super().__init__(formdata=formdata, obj=obj, data=data, meta=meta, **kwargs)
        for field in self:
            if isinstance(field.label.text, TranslationString):
                field.label.text = request.localizer.translate(field.label.text)
            if isinstance(field.description, TranslationString):
                field.description = request.localizer.translate(field.description)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        translate = self.request.localizer.translate
        for field in self:
            field.errors = [
                translate(error) if isinstance(error, TranslationString) else error
                for error in field.errors
            ]
        self.form_errors = [
            translate(e) if isinstance(e, TranslationString) else e for e in self.form_errors
        ]
        return valid

    def add_error(self, field_name: str, message) -> None:
        """Attach a message found after validation (e.g. a duplicate username)."""
        if isinstance(message, TranslationString):
            message = self.request.localizer.translate(message)
        getattr(self, field_name).errors = [*getattr(self, field_name).errors, message]
