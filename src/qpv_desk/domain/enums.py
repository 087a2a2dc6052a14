"""Enumerations of the domain, each with its French label.

Values are stored in the database as short ASCII codes (``StrEnum`` values); the
labels are what the user reads. Nothing here knows about Qt or SQL.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A ``StrEnum`` whose members carry a French label."""

    label: str

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def from_label(cls, text: str):
        for member in cls:
            if member.label.casefold() == text.strip().casefold() or member.value == text.strip():
                return member
        raise ValueError(text)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class OrganisationKind(LabelledEnum):
    ETAT = "etat", "Services de l'État"
    EPCI = "epci", "Intercommunalité (EPCI)"
    COMMUNE = "commune", "Commune"
    CCAS = "ccas", "CCAS"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    CAF = "caf", "CAF"
    BAILLEUR = "bailleur", "Bailleur social"
    ASSOCIATION = "association", "Association"
    EDUCATION = "education", "Établissement scolaire / éducation"
    EMPLOI = "emploi", "Emploi et insertion"
    SANTE = "sante", "Santé"
    ENTREPRISE = "entreprise", "Entreprise"
    CONSEIL_CITOYEN = "conseil_citoyen", "Conseil citoyen"
    AUTRE = "autre", "Autre"


class BodyKind(LabelledEnum):
    COPIL = "copil", "Comité de pilotage"
    GT = "gt", "Groupe technique"
    CONSEIL_CITOYEN = "conseil_citoyen", "Conseil citoyen"
    AUTRE = "autre", "Autre instance"


class MemberRole(LabelledEnum):
    PRESIDENT = "president", "Président(e)"
    MEMBRE = "membre", "Membre"
    SECRETARIAT = "secretariat", "Secrétariat"
    INVITE_PERMANENT = "invite_permanent", "Invité(e) permanent(e)"
    SUPPLEANT = "suppleant", "Suppléant(e)"


class Civility(LabelledEnum):
    MME = "Mme", "Mme"
    M = "M.", "M."
    NONE = "", "—"


class MeetingStatus(LabelledEnum):
    PREVUE = "prevue", "Prévue"
    CONVOQUEE = "convoquee", "Convoquée"
    TENUE = "tenue", "Tenue"
    CR_VALIDE = "cr_valide", "Compte rendu validé"
    ANNULEE = "annulee", "Annulée"


class AttendanceStatus(LabelledEnum):
    INVITE = "invite", "Non renseigné"
    PRESENT = "present", "Présent(e)"
    DISTANCE = "distance", "À distance"
    EXCUSE = "excuse", "Excusé(e)"
    REPRESENTE = "represente", "Représenté(e)"
    ABSENT = "absent", "Absent(e)"

    @property
    def attended(self) -> bool:
        """Counts as taking part in the meeting (for quorum and attendance rates)."""
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.DISTANCE, AttendanceStatus.REPRESENTE)


class DecisionKind(LabelledEnum):
    INFORMATION = "information", "Information"
    AVIS = "avis", "Avis"
    DECISION = "decision", "Décision"


class Opinion(LabelledEnum):
    FAVORABLE = "favorable", "Favorable"
    RESERVE = "reserve", "Réservé"
    DEFAVORABLE = "defavorable", "Défavorable"


class TaskStatus(LabelledEnum):
    A_FAIRE = "a_faire", "À faire"
    EN_COURS = "en_cours", "En cours"
    FAIT = "fait", "Fait"
    ABANDONNEE = "abandonnee", "Abandonnée"

    @property
    def is_open(self) -> bool:
        return self in (TaskStatus.A_FAIRE, TaskStatus.EN_COURS)


class ActionStatus(LabelledEnum):
    """Lifecycle of a programme action (see DOMAIN.md)."""

    DEPOSEE = "deposee", "Déposée"
    RECEVABLE = "recevable", "Recevable"
    NON_RECEVABLE = "non_recevable", "Non recevable"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    AVIS_FAVORABLE = "avis_favorable", "Avis GT favorable"
    AVIS_RESERVE = "avis_reserve", "Avis GT réservé"
    AVIS_DEFAVORABLE = "avis_defavorable", "Avis GT défavorable"
    ACCORDEE = "accordee", "Accordée (COPIL)"
    REFUSEE = "refusee", "Refusée (COPIL)"
    AJOURNEE = "ajournee", "Ajournée (COPIL)"
    NOTIFIEE = "notifiee", "Notifiée"
    VERSEE = "versee", "Versée"
    A_JUSTIFIER = "a_justifier", "À justifier"
    JUSTIFIEE = "justifiee", "Justifiée"
    CLOTUREE = "cloturee", "Clôturée"
    ABANDONNEE = "abandonnee", "Abandonnée"
    NON_REALISEE = "non_realisee", "Non réalisée"

    @property
    def group(self) -> "StatusGroup":
        return STATUS_GROUPS[self]


class StatusGroup(LabelledEnum):
    """Coarse groups used by the follow-up screens and reports."""

    EN_COURS_EXAMEN = "examen", "En examen"
    FINANCEE = "financee", "Financée"
    REALISEE = "realisee", "Réalisée"
    NON_RETENUE = "non_retenue", "Non retenue"
    ABANDONNEE = "abandonnee", "Abandonnée / non réalisée"


_S, _G = ActionStatus, StatusGroup
STATUS_GROUPS: dict[ActionStatus, StatusGroup] = {
    _S.DEPOSEE: _G.EN_COURS_EXAMEN,
    _S.RECEVABLE: _G.EN_COURS_EXAMEN,
    _S.EN_INSTRUCTION: _G.EN_COURS_EXAMEN,
    _S.AVIS_FAVORABLE: _G.EN_COURS_EXAMEN,
    _S.AVIS_RESERVE: _G.EN_COURS_EXAMEN,
    _S.AVIS_DEFAVORABLE: _G.EN_COURS_EXAMEN,
    _S.AJOURNEE: _G.EN_COURS_EXAMEN,
    _S.ACCORDEE: _G.FINANCEE,
    _S.NOTIFIEE: _G.FINANCEE,
    _S.VERSEE: _G.FINANCEE,
    _S.A_JUSTIFIER: _G.REALISEE,
    _S.JUSTIFIEE: _G.REALISEE,
    _S.CLOTUREE: _G.REALISEE,
    _S.NON_RECEVABLE: _G.NON_RETENUE,
    _S.REFUSEE: _G.NON_RETENUE,
    _S.ABANDONNEE: _G.ABANDONNEE,
    _S.NON_REALISEE: _G.ABANDONNEE,
}

OPINION_STATUS = {
    Opinion.FAVORABLE: ActionStatus.AVIS_FAVORABLE,
    Opinion.RESERVE: ActionStatus.AVIS_RESERVE,
    Opinion.DEFAVORABLE: ActionStatus.AVIS_DEFAVORABLE,
}
