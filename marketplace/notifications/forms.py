from django import forms

from marketplace.notifications.choices import Frequency, NotificationKind


class PreferenceForm(forms.Form):
    """One choice of email frequency per notification kind."""

    def __init__(self, *args, frequencies: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Frequency.choices, initial=frequencies[kind]
            )
