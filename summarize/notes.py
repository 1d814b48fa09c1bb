"""polybrief's own notes in the reader's language, from templates.

The notes are written in English where they arise (readers, translation, selection) and stay English
in the JSON, where programs match them. The Markdown a person reads gives them in the briefing's
language: each note kind has a template here. Machine-translating them instead read badly
("máquina-traducido") and could change ids and numbers; a template keeps both exactly. A note with no
template (a new kind, or a reader's detail) stays in English rather than be guessed at.
"""
from __future__ import annotations

import re

__all__ = ["localized_note"]

LANGUAGE_NAMES_ES = {"en": "inglés", "es": "español", "tr": "turco", "de": "alemán", "fr": "francés",
                     "pt": "portugués", "it": "italiano", "ru": "ruso", "ar": "árabe", "zh": "chino",
                     "ja": "japonés", "uk": "ucraniano", "ca": "catalán", "nl": "neerlandés"}

_SPANISH = [  # (the English note, its Spanish template); {name} fields keep ids, numbers and tools as they are
    (r"the language of (?P<doc>.+) could not be identified; it is used as it is",
     "no se pudo identificar el idioma de {doc}; se usa tal cual"),
    (r"(?P<doc>.+) is in (?P<lang>[\w-]+) and translation is off; it was left out",
     "{doc} está en {lang_name} y la traducción está desactivada; se dejó fuera"),
    (r"(?P<doc>.+) is in (?P<lang>[\w-]+), which (?P<tool>\S+) cannot translate into (?P<target>[\w-]+); "
     r"it is used as it is",
     "{doc} está en {lang_name}, que {tool} no puede traducir al {target_name}; se usa tal cual"),
    (r"(?P<doc>.+) was machine-translated from (?P<lang>[\w-]+) by (?P<tool>\S+)",
     "{doc} se tradujo automáticamente del {lang_name} con {tool}"),
    (r"written in (?P<lang>[\w-]+) and machine-translated into (?P<target>[\w-]+) by (?P<tool>\S+) after "
     r"selection \((?P<n>\d+) of (?P<m>\d+) sentences\)",
     "redactado en {lang_name} y traducido automáticamente al {target_name} con {tool} tras la selección "
     "({n} de {m} frases)"),
    (r"(?P<n>\d+) sentence\(s\) quoted in their original (?P<target>[\w-]+) wording",
     "{n} frase(s) citada(s) con su redacción original en {target_name}"),
    (r"written in (?P<lang>[\w-]+): (?P<tool>\S+) cannot translate it into (?P<target>[\w-]+)",
     "redactado en {lang_name}: {tool} no puede traducirlo al {target_name}"),
    (r"only (?P<n>\d+) bullet\(s\) fit: the cluster or the word budget is small",
     "solo caben {n} punto(s): hay pocos artículos o el límite de palabras es bajo"),
    (r"(?P<n>\d+) generated sentence\(s\) match no article: check them before use",
     "{n} frase(s) generada(s) no coinciden con ningún artículo: revíselas antes de usarlas"),
    (r"article id (?P<doc>.+) appears twice; the later one is called (?P<other>.+)",
     "el id de artículo {doc} aparece dos veces; el segundo se llama {other}"),
    (r"date of (?P<n>\d+) article\(s\) read from the text: (?P<docs>.+)",
     "fecha de {n} artículo(s) leída del texto: {docs}"),
    (r"(?P<n>\d+) of (?P<m>\d+) articles have no date", "{n} de {m} artículos no tienen fecha"),
]
TEMPLATES = {"es": [(re.compile(rf"^{pattern}$"), template) for pattern, template in _SPANISH]}
NAMES = {"es": LANGUAGE_NAMES_ES}


def localized_note(note: str, language: str) -> str:
    """``note`` in ``language`` when a template covers it, else as written."""
    for pattern, template in TEMPLATES.get(language, []):
        match = pattern.match(note)
        if match:
            fields = match.groupdict()
            names = NAMES[language]
            for key in ("lang", "target"):
                if key in fields:
                    fields[f"{key}_name"] = names.get(fields[key], fields[key])
            return template.format(**fields)
    return note
