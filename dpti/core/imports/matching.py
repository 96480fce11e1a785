"""The mapping step: which field each column of a file fills, proposed then confirmed.

Real files never carry the template's headers. Each header cell is matched, folded (no
accents, case, spaces or punctuation), first to a field's own names (its name and its
verbose names in French and English), then to the synonyms the type declares
(`ObjectType.import_synonyms`), then to the closest of both (difflib). The user confirms or
corrects the proposal; a confirmed mapping may be saved (`ImportMapping`) and is applied by
itself to the next file with the same headers.
"""

import difflib
from dataclasses import dataclass

from dpti.core.imports.columns import EXCL_TAX_SUFFIX, mapping_columns, normalize

EXACT, SYNONYM, CLOSE, SAVED, NONE = "exact", "synonym", "close", "saved", "none"
# difflib's ratio: "Date dacquisiton" is close to "Date d'acquisition" (0.93), while
# "Tél. bureau" is not "Bureau" (0.8).
CLOSE_CUTOFF = 0.85
CLOSE_MIN_LENGTH = 4  # "Etat" and "Etage" share too much to guess between short names


@dataclass
class ProposedColumn:
    """One column of the file, the column id it is mapped to ("" = ignored) and why."""

    index: int
    header: str
    choice: str
    how: str
    named: bool = False  # the header is a field's own name (even if another column took it)


def field_of(column_id):
    """The model field a column id fills ("value:ht" fills "value")."""
    return column_id.removesuffix(EXCL_TAX_SUFFIX)


def header_names(object_type):
    """Folded header spellings → column id, as (own names, declared synonyms)."""
    own, synonyms = {}, {}
    for spec in mapping_columns(object_type):
        # The excluding-tax twin's names are derived ("valeur ... HT"): synonyms, not names.
        for alias in sorted(spec.aliases()):
            (synonyms if spec.excl_tax else own).setdefault(alias, spec.id)
        for text in object_type.import_synonyms.get(spec.id, ()):
            synonyms.setdefault(normalize(text), spec.id)
    return own, synonyms


def propose_mapping(object_type, header, saved=None):
    """The proposed column id of each header cell (a list of ProposedColumn, one per cell).

    `saved`, a stored mapping ({folded header: column id or ""}), decides first for the
    headers it knows. A field is proposed for one column only, the best match winning.
    """
    own, synonyms = header_names(object_type)
    saved = saved or {}
    proposals = [
        ProposedColumn(i, text, "", NONE, named=normalize(text) in own)
        for i, text in enumerate(header)
    ]
    taken = set()

    def assign(proposal, column_id, how):
        if column_id and field_of(column_id) in taken:
            return False
        proposal.choice, proposal.how = column_id, how
        if column_id:
            taken.add(field_of(column_id))
        return True

    valid_ids = set(own.values()) | set(synonyms.values())
    for proposal in proposals:
        folded = normalize(proposal.header)
        if proposal.header and folded in saved and saved[folded] in valid_ids | {""}:
            assign(proposal, saved[folded], SAVED)
    for how, names in ((EXACT, own), (SYNONYM, synonyms)):
        for proposal in proposals:
            if proposal.header and proposal.how == NONE:
                column_id = names.get(normalize(proposal.header))
                if column_id:
                    assign(proposal, column_id, how)
    every_name = {**synonyms, **own}
    for proposal in proposals:
        folded = normalize(proposal.header)
        if proposal.how != NONE or len(folded) < CLOSE_MIN_LENGTH:
            continue
        free = [name for name, column_id in every_name.items() if field_of(column_id) not in taken]
        close = difflib.get_close_matches(folded, free, n=1, cutoff=CLOSE_CUTOFF)
        if close:
            assign(proposal, every_name[close[0]], CLOSE)
    return proposals


def needs_confirmation(proposals):
    """False when every header cell is a field's own name (the template's own file): the
    file is read as it is, and a repeated or missing column refused at once."""
    return any(p.header and not p.named for p in proposals)


def as_choices(proposals):
    """The mapping a job stores: a column id or "" per header cell."""
    return [p.choice for p in proposals]


def saved_form(header, choices):
    """A confirmed mapping as stored for next time: {folded header: column id or ""}."""
    return {
        normalize(text): choice
        for text, choice in zip(header, choices, strict=False)
        if text and normalize(text)
    }


def saved_mapping_for(mappings, header):
    """The first saved mapping that knows every header of the file, or None."""
    folded = {normalize(text) for text in header if text}
    return next((m for m in mappings if folded and folded <= set(m.columns)), None)
