"""Content of the Verquin demonstration database (built by :mod:`qpv_desk.sampledata.build`).

About 40 partner organisations, 90 contacts, the three bodies with their members, the
2025 and 2026 programmes (35 actions each, most renewed from one year to the next,
three to five operational objectives left without any 2026 action on purpose), the
meetings of 2025–2026 with agenda, attendance, decisions and follow-up tasks, and one
upcoming Groupe technique in December 2026; two photographs of the programme (after the
GT's opinions and after the COPIL of 2026) and an invented perimeter of the quartier,
imported through the ordinary service. All names are invented.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, update

from ..domain.enums import Opinion
from ..domain.rules import default_review_due
from ..domain.text import euros
from ..services.perimeter import import_perimeter, perimeter_target
from ..services.snapshots import programme_content
from ..store import models as M
from .common import (
    BUILDER,
    DEMO_TODAY,
    FIRST_F,
    FIRST_M,
    GRANTED,
    LAST,
    REALISED,
    REVIEW_NOTES,
    Rows,
    at,
    funding,
    history,
    opinion_for,
    short_slug,
    slug,
)

D = dt.timedelta

F, H = "F", "M"
ASSOC_PEOPLE = [("pres", None, ("Président", "Présidente")), ("coord", None, ("Coordinateur", "Coordinatrice"))]

# key, name, acronym, kind, street, postcode, city, people [(key, sex or None, function or (masc, fem))]
ORGS = [
    ("commune", "Commune de Verquin", None, "commune", "Place de la Mairie", "62131", "Verquin", [
        ("maire", H, "Maire"), ("elue_ccas", F, "Adjointe au maire chargée des solidarités et du CCAS"),
        ("elu_jeunesse", H, "Adjoint au maire chargé de la jeunesse et des sports"),
        ("dgs", H, "Directeur général des services"), ("referente", F, "Référente politique de la ville (QPV)"),
        ("jeunesse", F, "Responsable du service jeunesse"), ("pm", H, "Chef de service de la police municipale"),
        ("sports", H, "Responsable du service des sports"), ("vie_asso", F, "Chargée de la vie associative")]),
    ("prefecture", "Préfecture du Pas-de-Calais – sous-préfecture de Béthune", None, "etat",
     "3 rue des Fictions", "62400", "Béthune", [("delegue", H, "Délégué du préfet pour les quartiers prioritaires"),
                                                ("cm", F, "Chargée de mission politique de la ville")]),
    ("ddets", "DDETS du Pas-de-Calais – antenne de Béthune", "DDETS", "etat", "14 rue de l'Exemple", "62400", "Béthune",
     [("cm_old", F, "Chargée de mission cohésion sociale"), ("cm", H, "Chargé de mission cohésion sociale")]),
    ("dsden", "Éducation nationale – circonscription de Béthune", "DSDEN 62", "education", "8 rue des Écoles",
     "62400", "Béthune", [("ien", F, "Inspectrice de l'Éducation nationale"),
                          ("rep", F, "Coordonnatrice du réseau d'éducation prioritaire")]),
    ("police", "Police nationale – commissariat de Béthune", None, "etat", "21 boulevard Imaginaire", "62400",
     "Béthune", [("dcpp", H, "Délégué à la cohésion police-population")]),
    ("cabbalr", "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane", "CABBALR", "epci",
     "40 avenue de l'Exemple", "62400", "Béthune", [("cheffe", F, "Cheffe de projet politique de la ville"),
                                                    ("emploi", H, "Chargé de mission emploi et insertion"),
                                                    ("ru", F, "Chargée de mission renouvellement urbain")]),
    ("ccas", "CCAS de Verquin", "CCAS", "ccas", "2 place de la Mairie", "62131", "Verquin",
     [("dir", F, "Directrice du CCAS"), ("cesf", F, "Conseillère en économie sociale et familiale")]),
    ("departement", "Département du Pas-de-Calais – Maison du Département Solidarité de l'Artois", "MDS",
     "departement", "5 rue de la Solidarité", "62400", "Béthune",
     [("resp", H, "Responsable de la Maison du Département Solidarité"), ("as", F, "Assistante sociale de secteur")]),
    ("region", "Région Hauts-de-France – antenne de Béthune", None, "region", "9 place Fictive", "62400", "Béthune",
     [("cm", H, "Chargé de mission politique de la ville")]),
    ("caf", "CAF du Pas-de-Calais", "CAF 62", "caf", "30 rue de l'Allocation", "62400", "Béthune",
     [("ct", F, "Conseillère territoriale"), ("ds", H, "Chargé de développement social")]),
    ("hal", "Habitat Artois Logement", "HAL", "bailleur", "11 rue du Logis", "62400", "Béthune",
     [("agence", H, "Responsable d'agence"), ("dsu", F, "Chargée de développement social urbain")]),
    ("ldt", "Logis des Terrils", None, "bailleur", "7 rue des Corons", "62400", "Béthune",
     [("agence", F, "Responsable de secteur"), ("gardien", H, "Gardien d'immeuble référent")]),
    ("toit", "Toit Commun Artois", None, "bailleur", "25 rue du Faubourg", "62400", "Béthune",
     [("dsu", F, "Chargée de mission gestion urbaine de proximité")]),
    ("ft", "France Travail – agence de Béthune", None, "emploi", "16 avenue du Travail", "62400", "Béthune",
     [("dir", F, "Directrice d'agence"), ("conseiller", H, "Conseiller référent quartiers prioritaires")]),
    ("ml", "Mission locale de l'Artois béthunois", None, "emploi", "4 rue de la Jeunesse", "62400", "Béthune",
     [("dir", H, "Directeur"), ("conseillere", F, "Conseillère en insertion professionnelle")]),
    ("maternelle", "École maternelle Les Coquelicots", None, "education", "Rue des Coquelicots", "62131", "Verquin",
     [("dir", F, "Directrice")]),
    ("elementaire", "École élémentaire Les Tilleuls", None, "education", "Rue des Tilleuls", "62131", "Verquin",
     [("dir", H, "Directeur")]),
    ("college", "Collège du Marais", None, "education", "Chemin du Marais", "62131", "Verquin",
     [("principal", F, "Principale"), ("cpe", H, "Conseiller principal d'éducation")]),
    ("centre_social", "Centre social et culturel Les 3 Îlots", None, "association", "1 place des 3 Îlots", "62131",
     "Verquin", [("dir", F, "Directrice"), ("famille", F, "Référente familles"), ("jeunesse", H, "Animateur jeunesse"),
                 ("pres", H, "Président")]),
    ("msp", "Maison de santé pluriprofessionnelle du Marais", "MSP", "sante", "6 chemin du Marais", "62131",
     "Verquin", [("coord", F, "Coordinatrice"), ("medecin", H, "Médecin généraliste")]),
    ("regie", "Régie de quartier Artois Services", None, "emploi", "12 rue des Îlots", "62131", "Verquin",
     [("dir", H, "Directeur"), ("encadrante", F, "Encadrante technique d'insertion")]),
    ("chantier", "Chantier d'insertion Les Mains Vertes", None, "emploi", "3 rue des Jardins", "62131", "Verquin",
     [("dir", F, "Directrice")]),
]
ASSOCIATIONS = [
    ("jardins", "Les Jardins partagés des 3 Îlots"), ("numerique", "Ateliers Numériques pour Tous"),
    ("sport", "Sport Ensemble Verquin"), ("lire", "Lire et Grandir en Artois"), ("parents", "Parents Relais 62"),
    ("theatre", "Compagnie du Théâtre du Coron"), ("epicerie", "Épicerie solidaire Le Panier Partagé"),
    ("mobilite", "Mobilité Solidaire Artois"), ("prevention", "Club de prévention Horizon Jeunes"),
    ("sante_asso", "Santé Quartiers Artois"), ("musique", "Musique en Îlots"),
    ("boxe", "Boxe Éducative Verquinoise"), ("repair", "Répar'Café des 3 Îlots"),
    ("mediation", "Médiation Voisins Artois"), ("ecrivain", "Écrivains publics solidaires du Béthunois"),
    ("femmes", "Accueil Écoute Femmes Artois"), ("entreprendre", "Entreprendre au Quartier 62"),
]
STREETS = ("rue Jean Jaurès", "rue Pasteur", "rue Victor Hugo", "rue des Écoles", "rue de la Gare", "rue du Moulin",
           "allée des Peupliers", "rue Émile Zola", "rue de la Paix", "rue des Fleurs")

# key, years (B = 2025 and 2026), title, holder, principal, secondaries, funders, base cost (€), beneficiaries,
# indicator (label, unit, target), public, description
T = [
    ("B1", "B", "Permanences d'accès aux droits au centre social", "ccas", "1.1.1", ["1.1.3"], "etat_pv commune caf",
     9000, 180, ("Personnes reçues en permanence", "personnes", 180), "Habitants du quartier éloignés de leurs droits",
     "Deux demi-journées par semaine d'accueil sans rendez-vous pour ouvrir et maintenir les droits."),
    ("B2", "B", "Écrivain public et aide aux démarches en ligne", "ecrivain", "1.1.3", ["1.1.1"], "etat_pv commune",
     7500, 150, ("Démarches accompagnées", "démarches", 400), "Adultes en difficulté avec l'écrit ou le numérique",
     "Permanences d'écrivain public et d'aide aux démarches dématérialisées."),
    ("B3", "B", "Ateliers numériques pour les seniors et les familles", "numerique", "1.1.3", [], "etat_pv region",
     12000, 90, ("Participants formés", "personnes", 90), "Seniors et parents du quartier",
     "Cycles de dix ateliers : messagerie, espaces en ligne des administrations, sécurité."),
    ("B4", "B", "Épicerie solidaire et ateliers cuisine à petit budget", "epicerie", "1.2.1", ["1.1.2", "3.2.3"],
     "etat_pv commune departement caf", 38000, 220, ("Foyers bénéficiaires", "foyers", 220),
     "Foyers à faibles ressources orientés par les travailleurs sociaux",
     "Accès à une alimentation de qualité à prix réduit, ateliers cuisine et gestion du budget."),
    ("B5", "B", "Jardins partagés et potager pédagogique", "jardins", "1.2.1", ["2.3.3"], "etat_pv commune bailleurs",
     8500, 60, ("Parcelles cultivées", "parcelles", 24), "Familles et enfants du quartier",
     "Animation de jardins au pied des immeubles et ateliers avec les écoles."),
    ("B6", "B", "Point écoute santé mentale jeunes et parents", "sante_asso", "1.2.2", [], "etat_pv departement",
     24000, 120, ("Entretiens individuels", "entretiens", 300), "Jeunes de 12 à 25 ans et leurs parents",
     "Permanences d'un psychologue et orientation vers les soins."),
    ("B7", "B", "Sport santé au féminin", "sport", "1.2.3", ["1.3.1"], "etat_pv commune", 6000, 45,
     ("Participantes régulières", "personnes", 45), "Femmes du quartier éloignées de la pratique sportive",
     "Séances hebdomadaires de remise en forme avec garde d'enfants."),
    ("B8", "B", "Boxe éducative et citoyenne", "boxe", "1.2.3", ["3.3.1"], "etat_pv commune", 9500, 70,
     ("Jeunes inscrits", "personnes", 70), "Jeunes de 10 à 17 ans", "Entraînements encadrés et temps d'échange sur le respect."),
    ("B9", "B", "Accueil et accompagnement des femmes victimes de violences", "femmes", "1.3.3", ["1.3.1"],
     "etat_pv departement commune", 28000, 80, ("Femmes accompagnées", "personnes", 80),
     "Femmes victimes de violences et leurs enfants", "Permanence d'écoute, accompagnement juridique et social."),
    ("B10", "B", "Coup de pouce lecture CP-CE1", "lire", "2.1.1", [], "etat_pv commune caf", 14000, 40,
     ("Enfants suivis", "enfants", 40), "Élèves de CP et CE1 des écoles du quartier",
     "Clubs de lecture après la classe, quatre soirs par semaine, avec les parents."),
    ("B11", "B", "Accompagnement à la scolarité au centre social", "centre_social", "2.1.1", ["2.1.3"],
     "etat_pv caf commune", 32000, 75, ("Enfants accompagnés", "enfants", 75), "Collégiens et écoliers du quartier",
     "Aide aux devoirs, projets culturels et lien avec les familles."),
    ("B12", "B", "Lieu d'accueil enfants-parents « Les Petits Pas »", "centre_social", "2.1.2", [], "etat_pv caf",
     18000, 60, ("Familles accueillies", "familles", 60), "Parents et enfants de moins de 6 ans",
     "Accueil libre et anonyme deux matinées par semaine."),
    ("B13", "B", "Café des parents au collège", "parents", "2.1.3", ["2.1.2"], "etat_pv commune", 4500, 50,
     ("Rencontres organisées", "séances", 20), "Parents de collégiens", "Rencontres mensuelles entre parents et équipe éducative."),
    ("B14", "B", "Promeneurs du net et accompagnement des 16-25 ans", "ml", "2.2.1", ["2.2.4"], "etat_pv epci region",
     26000, 110, ("Jeunes accompagnés", "personnes", 110), "Jeunes de 16 à 25 ans sans solution",
     "Présence éducative en ligne et accompagnement individuel vers l'autonomie."),
    ("B15", "B", "Auto-école sociale et aide au permis", "mobilite", "2.2.2", ["2.2.5"], "etat_pv epci departement",
     42000, 35, ("Permis obtenus", "permis", 20), "Demandeurs d'emploi du quartier",
     "Code et conduite à tarif solidaire pour lever le frein de la mobilité."),
    ("B16", "B", "Forum des métiers et découverte des entreprises", "college", "2.2.3", ["2.2.6"], "epci",
     3500, 300, ("Élèves participants", "élèves", 300), "Élèves de 4e et 3e", "Forum annuel et visites d'entreprises."),
    ("B17", "B", "Aller vers les habitants sans emploi : bus de l'emploi", "ft", "2.2.4", ["2.2.5"], "etat_pv epci",
     15000, 150, ("Personnes rencontrées", "personnes", 150), "Habitants sans emploi ni formation",
     "Présence hebdomadaire d'un bus d'information au cœur du quartier."),
    ("B18", "B", "Chantier d'insertion espaces verts du quartier", "chantier", "2.2.5", ["3.1.1"],
     "etat_pv epci departement bailleurs", 58000, 12, ("Salariés en insertion", "personnes", 12),
     "Habitants éloignés de l'emploi", "Entretien des espaces verts avec un accompagnement socioprofessionnel."),
    ("B19", "B", "Ateliers théâtre et expression des jeunes", "theatre", "2.3.1", ["2.1.1"], "etat_pv commune region",
     11000, 30, ("Représentations", "représentations", 3), "Jeunes de 11 à 18 ans", "Ateliers hebdomadaires et création d'un spectacle."),
    ("B20", "B", "École de musique hors les murs", "musique", "2.3.1", [], "etat_pv commune", 9000, 40,
     ("Enfants inscrits", "enfants", 40), "Enfants de 7 à 12 ans", "Initiation instrumentale au centre social."),
    ("B21", "B", "Fonds de participation des habitants", "centre_social", "2.3.4", ["2.3.2"], "etat_pv commune",
     6000, 200, ("Projets d'habitants soutenus", "projets", 8), "Collectifs d'habitants",
     "Petites aides pour des projets portés par les habitants, attribuées par un comité d'habitants."),
    ("B22", "B", "Formation des bénévoles associatifs", "commune", "2.3.5", [], "commune caf", 5000, 40,
     ("Bénévoles formés", "personnes", 40), "Bénévoles des associations du quartier",
     "Modules de formation : gestion, projet, demande de subvention."),
    ("B23", "B", "Médiation sociale de proximité", "mediation", "3.3.1", ["2.3.6", "3.3.2"],
     "etat_pv commune bailleurs epci", 52000, 500, ("Interventions de médiation", "interventions", 600),
     "Habitants, jeunes et locataires", "Deux médiateurs présents en soirée et le week-end."),
    ("B24", "B", "Animations d'été en pied d'immeuble", "centre_social", "3.3.2", ["2.3.1"], "etat_pv commune bailleurs caf",
     16000, 400, ("Journées d'animation", "jours", 30), "Familles et enfants restant au quartier l'été",
     "Animations sportives, culturelles et sorties en juillet et août."),
    ("B25", "B", "Répar'Café et ateliers anti-gaspillage", "repair", "3.2.3", ["2.3.3"], "etat_pv epci", 4000, 150,
     ("Objets réparés", "objets", 250), "Habitants du quartier", "Ateliers mensuels de réparation et d'économies d'énergie."),
    ("C1", "2025", "Prévention du harcèlement scolaire : théâtre-forum", "theatre", "1.3.2", ["2.1.1"], "etat_pv commune",
     5500, 240, ("Élèves sensibilisés", "élèves", 240), "Élèves de CM2 et de 6e", "Théâtre-forum et ateliers dans les classes."),
    ("C2", "2025", "Couveuse d'entreprises : permanences au quartier", "entreprendre", "2.4.1", ["2.2.5"],
     "etat_pv epci region", 20000, 25, ("Projets accompagnés", "projets", 25), "Habitants porteurs d'un projet de création",
     "Permanences mensuelles et accompagnement à la création d'activité."),
    ("C3", "2025", "Vélo-école et atelier de réparation de vélos", "mobilite", "3.1.2", ["2.2.2"], "etat_pv epci",
     7000, 50, ("Personnes formées au vélo", "personnes", 50), "Adultes du quartier", "Apprentissage du vélo et atelier d'autoréparation."),
    ("C4", "2025", "Accompagnement des relogements du renouvellement urbain", "hal", "3.1.3", ["3.2.1"],
     "etat_pv epci bailleurs", 45000, 60, ("Ménages relogés", "ménages", 60), "Locataires des immeubles démolis",
     "Accompagnement social individualisé des ménages relogés."),
    ("C5", "2025", "Bilans de santé et dépistages au pied des immeubles", "msp", "1.1.2", ["1.2.2"], "etat_pv departement",
     13000, 200, ("Dépistages réalisés", "dépistages", 200), "Habitants sans médecin traitant",
     "Journées de prévention avec la maison de santé."),
    ("C6", "2025", "Semaine de l'égalité filles-garçons", "college", "1.3.1", ["2.1.4"], "etat_pv", 2500, 400,
     ("Élèves participants", "élèves", 400), "Collégiens", "Ateliers, expositions et débats au collège."),
    ("C7", "2025", "Clauses d'insertion et job dating", "regie", "2.2.6", ["2.2.5"], "etat_pv epci", 8000, 80,
     ("Contrats signés", "contrats", 15), "Demandeurs d'emploi du quartier", "Rencontres entre entreprises et candidats du quartier."),
    ("C8", "2025", "Diagnostic en marchant avec les habitants", "commune", "3.2.2", ["2.3.6"], "etat_pv commune",
     3000, 60, ("Habitants participants", "personnes", 60), "Habitants et conseil citoyen",
     "Balades urbaines et restitution des propositions aux élus."),
    ("C9", "2025", "Valorisation des savoir-faire des habitantes", "regie", "2.4.2", [], "etat_pv region", 6500, 20,
     ("Habitantes accompagnées", "personnes", 20), "Femmes du quartier", "Ateliers couture et cuisine valorisés par un marché de quartier."),
    ("C10", "2025", "Séjours éducatifs pour les jeunes", "prevention", "2.2.1", ["3.3.1"], "etat_pv caf commune",
     19000, 24, ("Jeunes partis en séjour", "personnes", 24), "Jeunes de 13 à 17 ans", "Deux séjours préparés avec les jeunes."),
    ("D1", "2026", "Accès aux droits des personnes âgées isolées", "ccas", "1.1.1", ["1.1.2"], "etat_pv commune departement",
     8000, 70, ("Personnes âgées visitées", "personnes", 70), "Personnes âgées isolées", "Visites à domicile et aide aux démarches."),
    ("D2", "2026", "Consultations avancées en santé mentale", "msp", "1.2.2", ["1.1.2"], "etat_pv departement",
     22000, 90, ("Consultations", "consultations", 250), "Adultes du quartier", "Consultations d'un psychologue à la maison de santé."),
    ("D3", "2026", "Éco-ateliers énergie et budget dans les logements sociaux", "ldt", "3.2.3", ["3.1.1"],
     "etat_pv bailleurs epci", 9000, 80, ("Foyers accompagnés", "foyers", 80), "Locataires du parc social",
     "Visites à domicile et ateliers sur les économies d'énergie."),
    ("D4", "2026", "Parcours résidentiels : accompagnement des ménages", "toit", "3.2.1", [], "etat_pv bailleurs",
     12000, 40, ("Ménages accompagnés", "ménages", 40), "Ménages souhaitant changer de logement",
     "Accompagnement individuel et information sur l'offre de logement."),
    ("D5", "2026", "Petits déjeuners à l'école et éducation nutritionnelle", "maternelle", "2.1.4", ["1.2.1"],
     "commune caf", 5000, 90, ("Enfants concernés", "enfants", 90), "Enfants de maternelle et leurs parents",
     "Petits déjeuners hebdomadaires et ateliers avec les parents."),
    ("D6", "2026", "Fabrique du quartier 2030 avec le conseil citoyen", "commune", "3.2.2", ["2.3.2", "2.3.6"],
     "etat_pv commune", 7000, 120, ("Habitants mobilisés", "personnes", 120), "Habitants et conseil citoyen",
     "Ateliers participatifs sur l'avenir du quartier."),
    ("D7", "2026", "Talents du quartier : valorisation des compétences", "regie", "2.4.2", ["2.2.5"], "etat_pv epci",
     9000, 30, ("Habitants accompagnés", "personnes", 30), "Habitants sans emploi", "Repérage et valorisation des compétences."),
    ("D8", "2026", "Confiance en soi et autodéfense pour les femmes", "sport", "1.3.1", [], "etat_pv commune", 4500, 30,
     ("Participantes", "personnes", 30), "Femmes du quartier", "Ateliers d'autodéfense et de prise de parole."),
    ("D9", "2026", "Ateliers de transition écologique pour les jeunes", "jardins", "3.1.1", ["2.3.3"], "etat_pv epci",
     6000, 40, ("Jeunes participants", "personnes", 40), "Jeunes de 12 à 17 ans", "Chantiers nature et ateliers climat."),
    ("D10", "2026", "Rencontres entre acteurs économiques et structures d'insertion", "cabbalr", "2.2.6", ["2.2.4"],
     "etat_pv epci", 5000, 60, ("Entreprises mobilisées", "entreprises", 20), "Entreprises et structures d'insertion",
     "Petits déjeuners d'entreprises et visites des chantiers d'insertion."),
]
LATE_2026 = ("D9", "D10")

FAVORABLE_WHY = ("action conforme à l'objectif et bien implantée dans le quartier",
                 "bonne mobilisation des habitants du quartier l'an passé",
                 "partenariat solide avec les acteurs de proximité", "besoin confirmé par les partenaires du GT")
RESERVE_WHY = ("budget à préciser et cofinancements à confirmer", "public du quartier insuffisamment ciblé",
               "bilan de l'année précédente attendu")
DEFAVORABLE_WHY = ("action sans lien suffisant avec les objectifs du contrat",
                   "coût par bénéficiaire trop élevé au regard des résultats attendus")

# The quartier's perimeter: an invented outline (WGS84 longitude, latitude) of about 56 ha
# astride Béthune and Verquin — not the official one — in the file format the perimeter
# import accepts (a GeoJSON FeatureCollection carrying the quartier's code).
PERIMETER_FILE = "perimetre-3-ilots-demonstration.geojson"
PERIMETER_RING = ((2.6330, 50.5078), (2.6392, 50.5074), (2.6451, 50.5081), (2.6466, 50.5102), (2.6460, 50.5127),
                  (2.6418, 50.5135), (2.6397, 50.5127), (2.6362, 50.5133), (2.6330, 50.5124), (2.6321, 50.5099),
                  (2.6330, 50.5078))
PERIMETER_IMPORTED = dt.datetime(2024, 9, 2, 11, 0)
DECIDED = ("accordee", "refusee", "ajournee")


class Demo:
    """The Verquin demonstration database (« today » = 2026-11-25)."""

    def __init__(self, session, rng: random.Random):
        self.s, self.rng, self.today = session, rng, DEMO_TODAY
        self.r = Rows(session)
        self.contract = session.scalar(select(M.Contract))
        self.quartier = session.scalar(select(M.Quartier))
        self.obj = {o.code: o.id for o in session.scalars(select(M.Objective))}
        self.funder = {f.code: f.id for f in session.scalars(select(M.Funder))}
        self.body = {b.code: b.id for b in session.scalars(select(M.Body))}
        self.org, self.person, self.person_org = {}, {}, {}
        self.used_names: set[str] = set()
        self.actions: dict[tuple[int, str], dict] = {}
        self.meetings: dict[str, dict] = {}
        self.members: list[tuple] = []  # (body, person key, org key, start, end)

    # ----------------------------------------------------------------- people
    def name(self, sex: str) -> tuple[str, str]:
        """A fictitious name; surnames stay distinct (the list is longer than the demo's contacts)."""
        free = [n for n in LAST if n not in self.used_names]
        first = self.rng.choice(FIRST_F if sex == F else FIRST_M)
        last = self.rng.choice(free or LAST)
        self.used_names.add(last)
        return first, last

    def phone(self, mobile=False) -> str:
        n = self.rng.randint(0, 9999)
        return f"{'06 39 98' if mobile else '03 53 01'} {n // 100:02d} {n % 100:02d}"

    def add_organisations(self) -> None:
        orgs = list(ORGS) + [(k, n, None, "association", None, "62131", "Verquin", ASSOC_PEOPLE) for k, n in ASSOCIATIONS]
        orgs.append(("cc", "Conseil citoyen des 3 Îlots", None, "conseil_citoyen", "1 place des 3 Îlots", "62131",
                     "Verquin", [(f"h{i}", F if i % 2 else H, ("Habitant, collège habitants", "Habitante, collège habitants"))
                                 for i in range(1, 9)]))
        commune_id = self.s.scalar(select(M.Organisation.id).where(M.Organisation.name == "Commune de Verquin"))
        stamp = at(dt.date(2024, 9, 2), 10)
        for i, (key, name, acronym, kind, street, postcode, city, people) in enumerate(orgs):
            domain = f"{short_slug(acronym or name)}.example"
            if street is None:
                street = f"{self.rng.randint(1, 60)} {self.rng.choice(STREETS)}"
            values = dict(name=name, acronym=acronym, kind=kind, address=street, postcode=postcode, city=city,
                          email=f"contact@{domain}", phone=self.phone(), active=True,
                          created_at=stamp + D(minutes=i), updated_at=stamp + D(minutes=i))
            if key == "commune":
                self.s.execute(update(M.Organisation).where(M.Organisation.id == commune_id).values(**values))
                self.org[key] = commune_id
            else:
                self.org[key] = self.r.add(M.Organisation, **values)
            for j, (pkey, sex, function) in enumerate(people):
                sex = sex or self.rng.choice((F, H))
                if isinstance(function, tuple):
                    function = function[sex == F]
                first, last = self.name(sex)
                resident = key == "cc"
                email = f"{slug(first)}.{slug(last)}@{'courriel.example' if resident else domain}"
                full = f"{key}.{pkey}"
                self.person_org[full] = key
                self.person[full] = self.r.add(
                    M.Person, civility="Mme" if sex == F else "M.", first_name=first, last_name=last,
                    function=function, organisation_id=self.org[key], email=email,
                    phone=self.phone(mobile=resident or j > 1) if not resident or j < 4 else None,
                    notes="Membre du conseil citoyen depuis 2024 (tirage au sort)." if resident else None,
                    active=full != "ddets.cm_old", anonymised_on=None,
                    created_at=stamp + D(minutes=i, seconds=j), updated_at=stamp + D(minutes=i, seconds=j))

    # ----------------------------------------------------------------- bodies
    def add_memberships(self) -> None:
        seats = {(m.body_id, m.seat): m.id for m in self.s.scalars(select(M.Membership))}
        start = dt.date(2024, 9, 1)
        copil_seats = {"Le Maire": "commune.maire", "Élu(e) en charge du CCAS": "commune.elue_ccas",
                       "Élu(e) en charge de la jeunesse": "commune.elu_jeunesse",
                       "Directeur général des services": "commune.dgs", "Référente QPV": "commune.referente"}
        for seat, who in copil_seats.items():
            self.r.updates.append(update(M.Membership).where(M.Membership.id == seats[(self.body["COPIL"], seat)])
                                  .values(person_id=self.person[who], start_date=start))
            self.members.append(("COPIL", who, "commune", start, None))
        for who, seat in (("prefecture.delegue", "Délégué du préfet"),
                          ("cabbalr.cheffe", "Cheffe de projet politique de la ville (CABBALR)")):
            self.r.add(M.Membership, body_id=self.body["COPIL"], person_id=self.person[who],
                       organisation_id=self.org[self.person_org[who]], seat=seat, role="invite_permanent",
                       start_date=start, end_date=None)
            self.members.append(("COPIL", who, self.person_org[who], start, None))
        self.r.updates.append(update(M.Membership).where(M.Membership.id == seats[(self.body["GT"], "Référente QPV")])
                              .values(person_id=self.person["commune.referente"], start_date=start))
        self.members.append(("GT", "commune.referente", "commune", start, None))
        gt = ["prefecture.delegue", "ddets.cm_old", "ddets.cm", "dsden.rep", "police.dcpp", "cabbalr.cheffe",
              "cabbalr.emploi", "ccas.dir", "departement.resp", "caf.ct", "hal.dsu", "ldt.agence", "ft.conseiller",
              "ml.conseillere", "college.cpe", "elementaire.dir", "centre_social.dir", "centre_social.jeunesse",
              "msp.coord", "regie.dir", "prevention.coord", "commune.jeunesse", "commune.pm", "epicerie.coord", "cc.h1"]
        for who in gt:
            begin, end = start, None
            if who == "ddets.cm_old":
                end = dt.date(2025, 8, 31)
            elif who == "ddets.cm":
                begin = dt.date(2025, 9, 1)
            org = self.person_org[who]
            seat = "Conseil citoyen" if org == "cc" else None
            self.r.add(M.Membership, body_id=self.body["GT"], person_id=self.person[who], organisation_id=self.org[org],
                       seat=seat, role="membre", start_date=begin, end_date=end)
            self.members.append(("GT", who, org, begin, end))
        cc = [(f"cc.h{i}", "Collège habitants") for i in range(1, 9)] + [
            (f"{k}.pres", "Collège acteurs locaux") for k in ("centre_social", "jardins", "lire", "sport")]
        for who, seat in cc:
            org = self.person_org[who]
            self.r.add(M.Membership, body_id=self.body["CC"], person_id=self.person[who], organisation_id=self.org[org],
                       seat=seat, role="president" if who == "cc.h1" else "membre",
                       start_date=dt.date(2024, 10, 1), end_date=None,
                       college="habitants" if who.startswith("cc.h") else "acteurs_locaux",
                       entry_mode="tirage" if who.startswith("cc.h") else "designe")
            self.members.append(("CC", who, org, dt.date(2024, 10, 1), None))

    # ----------------------------------------------------------------- programme
    def contact_for(self, org_key: str) -> str:
        keys = [k for k, o in self.person_org.items() if o == org_key]
        return keys[1] if len(keys) > 1 and org_key != "commune" else (
            "commune.vie_asso" if org_key == "commune" else keys[0])

    def plan_actions(self) -> None:
        rng = self.rng
        years = {}
        for year in (2025, 2026):
            years[year] = self.r.add(M.ProgrammeYear, contract_id=self.contract.id, year=year,
                                     call_opens=dt.date(year - 1, 9, 15), call_closes=dt.date(year - 1, 11, 14),
                                     notes=f"Appel à projets {year} du contrat de ville, dépôt sur la plateforme de l'État.")
        self.programme_years = years
        t25 = [t for t in T if t[1] in ("B", "2025")]
        t26 = [t for t in T if t[1] in ("B", "2026")]
        multi = {"C2": ("a_justifier", dt.date(2025, 4, 1), dt.date(2026, 8, 31)),
                 "C4": ("versee", dt.date(2025, 9, 1), dt.date(2026, 12, 31))}
        negative = ["refusee", "refusee", "non_recevable", "abandonnee", "non_realisee"]
        positive = ["cloturee"] * 13 + ["justifiee"] * 7 + ["a_justifier"] * 8
        rng.shuffle(positive)
        fates25 = {}
        c_keys = [t[0] for t in t25 if t[1] == "2025" and t[0] not in multi]
        rng.shuffle(c_keys)
        for key in c_keys:
            fates25[key] = negative.pop() if negative else positive.pop()
        for t in t25:
            if t[0] in multi:
                fates25[t[0]] = multi[t[0]][0]
            elif t[0] not in fates25:
                fates25[t[0]] = positive.pop()
        f26 = ["refusee"] * 2 + ["ajournee", "non_recevable", "abandonnee"] + ["notifiee"] * 4 + ["versee"] * 18 \
            + ["a_justifier"] * 4 + ["justifiee"] * 2
        rng.shuffle(f26)
        keys26 = [t[0] for t in t26 if t[0] not in LATE_2026]
        fates26 = dict(zip(keys26, f26))
        fates26.update({k: "en_instruction" for k in LATE_2026})
        # the postponed 2026 request is a renewal whose 2025 bilan is overdue
        late_bilan = [k for k in keys26 if fates25.get(k) == "a_justifier"]
        if late_bilan:
            postponed = next(k for k, f in fates26.items() if f == "ajournee")
            fates26[postponed], fates26[late_bilan[0]] = fates26[late_bilan[0]], "ajournee"
        self.fates = {2025: fates25, 2026: fates26}
        platform = rng.sample(range(1000, 99999), 80)
        for year, templates in ((2025, t25), (2026, t26)):
            templates = sorted(templates, key=lambda t: (tuple(int(x) for x in t[4].split(".")), t[0]))
            for n, t in enumerate(templates, start=1):
                self.plan_one(year, n, t, self.fates[year][t[0]], multi.get(t[0]), platform.pop())

    def plan_one(self, year, n, t, fate, multi, platform_no) -> None:
        rng = self.rng
        key, _, title, holder, principal, secondary, funders, cost, benef, indicator, public, description = t
        cost_cents = int(cost * rng.uniform(0.92, 1.08)) // 100 * 10000
        if key in LATE_2026:
            deposit = dt.date(2026, 10, 5) + D(rng.randint(0, 12))
        else:
            deposit = dt.date(year - 1, 10, 1) + D(rng.randint(0, 43))
        if multi:
            start, end = multi[1], multi[2]
        elif year == 2026 and fate in ("a_justifier", "justifiee"):
            start, end = dt.date(2026, rng.choice((1, 2, 3)), 1), dt.date(2026, rng.choice((6, 7, 8)), 30)
        elif year == 2026 and fate == "notifiee":
            start, end = dt.date(2026, 9, 15), dt.date(2026, 12, 31)
        elif year == 2026 and fate == "en_instruction":
            start, end = dt.date(2027, 1, 5), dt.date(2027, 6, 30)
        elif key == "B24":
            start, end = dt.date(year, 7, 1), dt.date(year, 8, 31)
        else:
            start, end = dt.date(year, rng.choice((1, 2, 3, 4)), 1), dt.date(year, 12, 31)
        received = None
        if fate in ("justifiee", "cloturee"):
            due = default_review_due(end)
            latest = min(due + D(50), self.today - D(45) if fate == "cloturee" else self.today - D(3))
            received = min(end + D(rng.randint(20, 170)), latest)
        prev = self.actions.get((2025, key))
        renewal = prev is not None and year == 2026 and self.fates[2025][key] in GRANTED
        if year == 2025:
            renewal = t[1] == "B" and rng.random() < 0.7
        self.actions[(year, key)] = dict(
            key=key, year=year, code=f"{year}-{n:02d}", title=title, holder=holder, principal=principal,
            secondary=secondary, funders=funders.split(), cost=cost_cents, benef=benef, indicator=indicator,
            public=public, description=description, fate=fate, deposit=deposit, start=start, end=end,
            received=received, is_renewal=renewal, multi=multi is not None,
            predecessor=prev["id"] if renewal and prev else None,
            platform=f"{year - 1}-{platform_no:05d}" if "etat_pv" in funders else None)
        a = self.actions[(year, key)]
        a["id"] = self.r.add(M.Action, **self.action_row(a))

    def action_row(self, a) -> dict:
        rng, fate = self.rng, a["fate"]
        granted = fate in GRANTED
        reached = qpv = None
        if fate in REALISED and a["end"] < self.today:
            reached = int(a["benef"] * rng.uniform(0.7, 1.2))
            qpv = int(reached * rng.uniform(0.55, 0.9))
        holder = a["holder"]
        return dict(
            programme_year_id=self.programme_years[a["year"]], quartier_id=self.quartier.id, code=a["code"],
            title=a["title"], holder_id=self.org[holder], contact_id=self.person[self.contact_for(holder)],
            description=a["description"], target_public=a["public"],
            place=f"{dict((o[0], o[1]) for o in ORGS).get(holder, 'Quartier des 3 Îlots')}, Verquin"
            if holder in ("centre_social", "msp", "college", "maternelle", "elementaire") else "Quartier des 3 Îlots, Verquin",
            start_date=a["start"], end_date=a["end"], is_renewal=a["is_renewal"], multi_year=a["multi"],
            platform_code=a["platform"], predecessor_id=a["predecessor"], status="deposee",
            total_cost_cents=a["cost"], beneficiaries_planned=a["benef"], beneficiaries_reached=reached,
            beneficiaries_qpv=qpv,
            progress=rng.choice((None, 40, 55, 60, 75, 80)) if fate == "versee" else None,
            review_due=default_review_due(a["end"]) if granted and fate not in ("abandonnee", "non_realisee") else None,
            review_received=a["received"],
            review_notes=rng.choice(REVIEW_NOTES) if a["received"] else None,
            created_at=at(a["deposit"], 10, rng.randint(0, 59)), updated_at=at(a["deposit"], 10))

    def add_programme_details(self) -> None:
        rng = self.rng
        for a in self.actions.values():
            self.r.add(M.ActionObjective, action_id=a["id"], objective_id=self.obj[a["principal"]], is_principal=True)
            for code in a["secondary"]:
                self.r.add(M.ActionObjective, action_id=a["id"], objective_id=self.obj[code], is_principal=False)
            a["lines"] = funding(rng, a["cost"], a["funders"], a["fate"])
            for code, requested, granted, paid in a["lines"]:
                self.r.add(M.FundingLine, action_id=a["id"], funder_id=self.funder[code], requested_cents=requested,
                           granted_cents=granted, paid_cents=paid)
            label, unit, target = a["indicator"]
            done = a["fate"] in ("justifiee", "cloturee")
            self.r.add(M.Indicator, action_id=a["id"], position=0, label=label, unit=unit, target=Decimal(target),
                       result=Decimal(int(target * rng.uniform(0.7, 1.15))) if done else None)
            if rng.random() < 0.5:
                share = rng.choice((60, 70, 75, 80))
                self.r.add(M.Indicator, action_id=a["id"], position=1, label="Part des participants habitant le quartier",
                           unit="%", target=Decimal(share),
                           result=Decimal(share + rng.randint(-15, 10)) if done else None)

    # ----------------------------------------------------------------- meetings
    def invitees(self, body: str, day: dt.date) -> list[tuple[str, str]]:
        return [(who, org) for b, who, org, start, end in self.members
                if b == body and start <= day and (end is None or end >= day)]

    def meeting(self, key, body, day, title, status, start, finish, place) -> dict:
        m = dict(key=key, body=body, date=day, status=status, items=[], title=title)
        m["id"] = self.r.add(
            M.Meeting, body_id=self.body[body], quartier_id=self.quartier.id, title=title, date=day,
            start_time=start, end_time=finish, place=place, status=status,
            secretary_id=self.person["cc.h2" if body == "CC" else "commune.referente"], next_meeting_date=None,
            notes=None, created_at=at(day - D(21), 14), updated_at=at(min(day + D(8), self.today - D(1)), 16))
        m["row"] = self.r.rows[M.Meeting][-1]
        self.meetings[key] = m
        return m

    def item(self, m, title, presenter=None, minutes=20, objective=None, action=None, discussion=None) -> int:
        position = len(m["items"]) + 1
        item_id = self.r.add(M.AgendaItem, meeting_id=m["id"], position=position, title=title,
                             presenter_id=self.person[presenter] if presenter else None, duration_min=minutes,
                             objective_id=self.obj[objective] if objective else None, action_id=action,
                             discussion=discussion if m["status"] != "prevue" else None)
        m["items"].append(item_id)
        return item_id

    def decision(self, m, item, kind, text, action=None, objective=None, opinion=None) -> int:
        m.setdefault("decisions", 0)
        m["decisions"] += 1
        return self.r.add(M.Decision, meeting_id=m["id"], agenda_item_id=item, position=m["decisions"], kind=kind,
                          text=text, objective_id=self.obj[objective] if objective else None, action_id=action,
                          opinion=opinion)

    def task(self, m, item, text, owner, due, status=None, action=None, objective=None) -> None:
        rng = self.rng
        if status is None:
            status = "fait" if due < self.today else rng.choice(("a_faire", "en_cours"))
        done = None
        if status == "fait":
            done = max(m["date"] + D(1), min(due - D(rng.randint(0, 12)), self.today - D(1)))
        org = self.person_org[owner]
        self.r.add(M.FollowUpTask, meeting_id=m["id"], agenda_item_id=item, description=text,
                   owner_person_id=self.person[owner], owner_organisation_id=self.org[org], due_date=due,
                   status=status, done_on=done, objective_id=self.obj[objective] if objective else None,
                   action_id=action, notes=None, created_at=at(m["date"], 17),
                   updated_at=at(done or m["date"], 17, 30))

    def attendance(self, m, guests=()) -> None:
        rng = self.rng
        invited = self.invitees(m["body"], m["date"])
        invited_keys = {w for w, _ in invited}
        weights = {"GT": (62, 8, 14, 7, 9), "COPIL": (80, 0, 10, 10, 0), "CC": (65, 0, 20, 0, 15)}[m["body"]]
        for who, org in invited:
            if m["status"] == "prevue":
                status = "excuse" if rng.random() < 0.08 else "invite"
            elif who == "commune.referente":
                status = "present"
            else:
                status = rng.choices(("present", "distance", "excuse", "represente", "absent"), weights)[0]
            by = None
            if status == "represente":
                colleagues = [k for k, o in self.person_org.items()
                              if o == org and k not in invited_keys and k != "ddets.cm_old" and k != who]
                if colleagues:
                    by = self.person[rng.choice(colleagues)]
                else:
                    status = "excuse"
            self.r.add(M.Attendance, meeting_id=m["id"], person_id=self.person[who], organisation_id=self.org[org],
                       guest=False, status=status, represented_by_id=by)
        for who in guests:
            if who not in invited_keys:
                self.r.add(M.Attendance, meeting_id=m["id"], person_id=self.person[who],
                           organisation_id=self.org[self.person_org[who]], guest=True,
                           status="invite" if m["status"] == "prevue" else "present", represented_by_id=None)

    def add_meetings(self) -> None:
        gt_place = "Centre social et culturel Les 3 Îlots, salle polyvalente, Verquin"
        copil_place = "Mairie de Verquin, salle du conseil"
        t930, t12, t1730, t1930, t18, t20 = (dt.time(9, 30), dt.time(12, 0), dt.time(17, 30), dt.time(19, 30),
                                             dt.time(18, 0), dt.time(20, 0))
        plan = [
            ("gt25a", "GT", dt.date(2025, 1, 21), "Examen des demandes de subvention 2025 (1/2)", "examen", 2025, 0),
            ("gt25b", "GT", dt.date(2025, 2, 11), "Examen des demandes de subvention 2025 (2/2)", "examen", 2025, 1),
            ("copil25", "COPIL", dt.date(2025, 3, 25), "Comité de pilotage : programmation 2025", "copil", 2025, None),
            ("gt25c", "GT", dt.date(2025, 4, 8), "Retour du COPIL et lancement de la programmation 2025", "retour", 2025, None),
            ("gt25d", "GT", dt.date(2025, 6, 17), "Point d'étape : santé et accès aux droits", "theme", None, None),
            ("gt25e", "GT", dt.date(2025, 9, 23), "Préparation de l'appel à projets 2026", "theme", None, None),
            ("gt25f", "GT", dt.date(2025, 11, 18), "Suivi de la programmation 2025 et bilans 2024", "theme", None, None),
            ("gt26a", "GT", dt.date(2026, 1, 20), "Examen des demandes de subvention 2026 (1/2)", "examen", 2026, 0),
            ("gt26b", "GT", dt.date(2026, 2, 10), "Examen des demandes de subvention 2026 (2/2)", "examen", 2026, 1),
            ("copil26", "COPIL", dt.date(2026, 3, 24), "Comité de pilotage : bilan 2025 et programmation 2026", "copil", 2026, None),
            ("gt26c", "GT", dt.date(2026, 4, 14), "Retour du COPIL : programmation 2026", "retour", 2026, None),
            ("cc26", "CC", dt.date(2026, 5, 19), "Conseil citoyen : programmation 2026 et projets d'habitants", "theme", None, None),
            ("gt26d", "GT", dt.date(2026, 6, 16), "Bilans 2025 et réussite éducative", "theme", None, None),
            ("gt26e", "GT", dt.date(2026, 9, 22), "Point d'étape et appel à projets 2027", "theme", None, None),
            ("gt26f", "GT", dt.date(2026, 11, 17), "Suivi des bilans et des suites à donner", "theme", None, None),
            ("gt26g", "GT", dt.date(2026, 12, 15), "Programmation complémentaire 2026 et calendrier 2027", "theme", None, None),
        ]
        previous: dict[str, dict] = {}
        for key, body, day, title, kind, year, half in plan:
            status = "prevue" if day > self.today else ("tenue" if key == "gt26f" else "cr_valide")
            if body == "GT":
                m = self.meeting(key, body, day, title, status, t930, t12, gt_place)
            elif body == "COPIL":
                m = self.meeting(key, body, day, title, status, t1730, t1930, copil_place)
            else:
                m = self.meeting(key, body, day, title, status, t18, t20, gt_place)
            before = previous.get(body)
            if before is not None:
                before["next"] = day
                self.item(m, f"Approbation du compte rendu de la séance du {before['date'].strftime('%d/%m/%Y')}",
                          "commune.referente", 10, discussion="Compte rendu approuvé sans modification.")
            previous[body] = m
            guests = ()
            if kind == "examen":
                guests = self.examen(m, year, half)
            elif kind == "copil":
                guests = self.copil(m, year)
            elif kind == "retour":
                self.retour(m, year)
            else:
                guests = getattr(self, f"theme_{key}")(m)
            self.item(m, "Questions diverses", None, 10)
            self.attendance(m, guests)
        for m in self.meetings.values():
            m["row"]["next_meeting_date"] = m.get("next")

    def examined(self, year, half):
        rows = [a for a in self.actions.values() if a["year"] == year and a["key"] not in LATE_2026
                and a["fate"] != "non_recevable"]
        rows.sort(key=lambda a: a["code"])
        return rows[half::2]

    def examen(self, m, year, half):
        rng = self.rng
        actions = self.examined(year, half)
        by_enjeu: dict[str, list] = {}
        for a in actions:
            by_enjeu.setdefault(a["principal"].split(".")[0], []).append(a)
        reserved = []
        for enjeu in sorted(by_enjeu):
            item = self.item(m, f"Examen des demandes {year} – enjeu {enjeu}", "commune.referente",
                             10 * len(by_enjeu[enjeu]), objective=enjeu,
                             discussion=f"{len(by_enjeu[enjeu])} demandes présentées par la référente ; "
                                        "échanges sur le public touché et les cofinancements.")
            for a in by_enjeu[enjeu]:
                opinion = opinion_for(rng, a["fate"])
                why = {Opinion.FAVORABLE: FAVORABLE_WHY, Opinion.RESERVE: RESERVE_WHY,
                       Opinion.DEFAVORABLE: DEFAVORABLE_WHY}[opinion]
                text = f"{a['code']} « {a['title']} » : avis {opinion.label.lower()} ({rng.choice(why)})."
                a["gt"] = (m["date"], m["id"], self.decision(m, item, "avis", text, a["id"], a["principal"], opinion.value),
                           opinion)
                if opinion == Opinion.RESERVE:
                    reserved.append((a, item))
        new = [a for a in actions if not a["is_renewal"]]
        guests = []
        if new:
            a = new[0]
            who = self.contact_for(a["holder"])
            self.item(m, f"Présentation d'une nouvelle action : {a['title']}", who, 15, a["principal"], a["id"],
                      discussion="Le porteur présente le projet et répond aux questions du groupe.")
            guests.append(who)
        self.task(m, m["items"][1] if len(m["items"]) > 1 else m["items"][0],
                  "Transmettre les avis du groupe technique aux porteurs de projet", "commune.referente",
                  m["date"] + D(10))
        for a, item in reserved[:3]:
            self.task(m, item, f"Fournir un budget prévisionnel détaillé pour « {a['title']} »",
                      self.contact_for(a["holder"]), m["date"] + D(21), action=a["id"])
        return guests

    def copil(self, m, year):
        self.item(m, f"Bilan de la programmation {year - 1}", "commune.referente", 20,
                  discussion="Présentation des bilans reçus, des montants versés et des actions non réalisées.")
        info = m["items"][-1]
        self.decision(m, info, "information", f"Le comité prend connaissance du bilan de la programmation {year - 1}.")
        item = self.item(m, f"Programmation {year} : décisions sur les demandes", "commune.referente", 60,
                         discussion="Examen des demandes sur la base des avis du groupe technique.")
        total = 0
        for a in sorted((a for a in self.actions.values() if a.get("gt") and a["year"] == year), key=lambda a: a["code"]):
            fate = a["fate"]
            if fate == "refusee":
                text = f"{a['code']} « {a['title']} » : refusée, conformément à l'avis du groupe technique."
            elif fate == "ajournee":
                text = (f"{a['code']} « {a['title']} » : ajournée dans l'attente du bilan {year - 1} "
                        "et d'un budget précisé.")
            else:
                granted = [(c, g) for c, _, g, _ in a["lines"] if c != "fonds_propres" and g]
                total += sum(g for _, g in granted if _ == "etat_pv")
                # whole euros, as the application writes them
                detail = " ; ".join(f"{c.replace('etat_pv', 'État BOP 147')} {euros(g, whole=True)}"
                                    for c, g in granted)
                text = f"{a['code']} « {a['title']} » : accordée ({detail})."
            a["copil"] = (m["date"], m["id"], self.decision(m, item, "decision", text, a["id"], a["principal"]))
        self.decision(m, item, "decision",
                      f"Le comité valide la programmation {year} : {euros(total, whole=True)} "
                      "de crédits de l'État (BOP 147).")
        last = self.item(m, "Calendrier et objectifs non couverts", "commune.dgs", 15, discussion=(
            "Le comité souhaite que les objectifs sans action soient présentés au groupe technique."))
        self.task(m, item, "Notifier les décisions du comité aux porteurs de projet", "commune.referente",
                  m["date"] + D(21))
        self.task(m, item, "Préparer les conventions financières avec les porteurs", "commune.dgs", m["date"] + D(50))
        if year == 2026:
            self.task(m, last, "Présenter au comité un point sur les objectifs sans action en 2026",
                      "commune.referente", dt.date(2026, 10, 31), status="en_cours")
        return ("caf.ct", "departement.resp")

    def retour(self, m, year):
        item = self.item(m, f"Retour sur les décisions du comité de pilotage ({year})", "commune.referente", 30,
                         discussion="La référente présente les actions retenues et les montants accordés.")
        self.decision(m, item, "information", f"Programmation {year} arrêtée par le comité de pilotage.")
        item2 = self.item(m, "Conventions, notifications et calendrier des versements", "cabbalr.cheffe", 20)
        self.decision(m, item2, "decision", "Les bilans de l'année précédente seront examinés au GT de juin.")
        self.task(m, item2, "Envoyer aux porteurs le modèle de bilan (compte rendu financier)", "commune.referente",
                  m["date"] + D(30))
        if year == 2026:
            postponed = next((a for a in self.actions.values() if a["year"] == 2026 and a["fate"] == "ajournee"), None)
            if postponed:
                self.task(m, item, f"Produire le bilan 2025 manquant pour « {postponed['title']} »",
                          self.contact_for(postponed["holder"]), dt.date(2026, 5, 31), status="a_faire",
                          action=postponed["id"])

    def act(self, year, key):
        return self.actions[(year, key)]["id"]

    def theme_gt25d(self, m):
        i1 = self.item(m, "Présentation du point écoute santé mentale", "msp.coord", 30, "1.2.2", self.act(2025, "B6"),
                       "Forte demande des parents ; délais d'attente en centre médico-psychologique.")
        self.decision(m, i1, "decision", "Le groupe crée un sous-groupe « santé mentale » animé par la MSP.",
                      objective="1.2.2")
        i2 = self.item(m, "Accès aux droits : cartographie des permanences", "ccas.dir", 30, "1.1.1",
                       discussion="Les permanences se chevauchent le mardi ; aucune le samedi.")
        self.task(m, i2, "Cartographier les permanences d'accès aux droits du quartier", "ccas.dir",
                  dt.date(2025, 9, 15), objective="1.1.1")
        self.task(m, i1, "Organiser une rencontre entre la MSP et la Maison du Département Solidarité", "msp.coord",
                  dt.date(2025, 10, 31), objective="1.2.2")
        return ()

    def theme_gt25e(self, m):
        i1 = self.item(m, "Exécution de la programmation 2025 à mi-parcours", "commune.referente", 30,
                       discussion="La plupart des actions ont démarré ; deux porteurs signalent des difficultés.")
        self.decision(m, i1, "information", "Point d'étape de la programmation 2025 présenté au groupe.")
        i2 = self.item(m, "Priorités de l'appel à projets 2026", "cabbalr.cheffe", 30)
        self.decision(m, i2, "decision", "Priorités 2026 : santé mentale, accès aux droits, parentalité, "
                                         "insertion des jeunes.")
        i3 = self.item(m, "Diagnostic en marchant : restitution", "cc.h1", 20, "3.2.2", self.act(2025, "C8"),
                       "Les habitants demandent un meilleur éclairage et des bancs près des écoles.")
        self.task(m, i2, "Diffuser l'appel à projets 2026 aux associations du quartier", "cabbalr.cheffe",
                  dt.date(2025, 10, 6))
        self.task(m, i3, "Mettre à jour l'annuaire des partenaires du quartier", "commune.referente",
                  dt.date(2025, 12, 31), status="en_cours")
        return ("cc.h1",)

    def theme_gt25f(self, m):
        i1 = self.item(m, "Bilans 2024 reçus et manquants", "commune.referente", 20)
        self.decision(m, i1, "information", "Trois bilans 2024 restent attendus.")
        stopped = next((a for a in self.actions.values() if a["year"] == 2025 and a["fate"] == "abandonnee"), None)
        if stopped:
            i2 = self.item(m, f"Action en difficulté : {stopped['title']}", self.contact_for(stopped["holder"]), 15,
                           stopped["principal"], stopped["id"], "Le porteur renonce à l'action cette année.")
            self.decision(m, i2, "information", "Le porteur renonce à l'action ; la subvention ne sera pas versée.",
                          action=stopped["id"])
        i3 = self.item(m, "Préparation de l'examen des demandes 2026", "commune.referente", 20)
        self.task(m, i1, "Relancer les porteurs dont le bilan 2024 manque", "commune.referente", dt.date(2025, 12, 15))
        self.task(m, i3, "Proposer un accompagnement aux associations qui déposent pour la première fois",
                  "commune.vie_asso", dt.date(2026, 1, 31))
        return ()

    def theme_cc26(self, m):
        i1 = self.item(m, "Présentation de la programmation 2026", "commune.referente", 30)
        self.decision(m, i1, "information", "Le conseil citoyen a pris connaissance des actions retenues pour 2026.")
        i2 = self.item(m, "Projets d'habitants : fonds de participation", "centre_social.dir", 30, "2.3.4",
                       self.act(2026, "B21"), "Quatre projets présentés par des habitants.")
        self.decision(m, i2, "decision", "Le conseil citoyen soutient trois projets d'habitants sur quatre.",
                      action=self.act(2026, "B21"))
        i3 = self.item(m, "Fabrique du quartier 2030", "cc.h1", 30, "3.2.2", self.act(2026, "D6"))
        self.task(m, i3, "Organiser la balade urbaine de la fabrique du quartier", "cc.h1", dt.date(2026, 6, 30))
        self.task(m, i3, "Recueillir les idées de projets des habitants", "cc.h2", dt.date(2026, 9, 30),
                  status="en_cours")
        return ("commune.referente", "centre_social.dir")

    def theme_gt26d(self, m):
        overdue = sum(1 for a in self.actions.values() if a["year"] == 2025 and a["fate"] == "a_justifier"
                      and not a["multi"])
        i1 = self.item(m, "Bilans 2025 reçus", "commune.referente", 20)
        self.decision(m, i1, "information", f"{overdue} bilans 2025 restent attendus au 30 juin 2026.")
        i2 = self.item(m, "Réussite éducative : coup de pouce lecture", "lire.coord", 30, "2.1.1", self.act(2026, "B10"),
                       "Les enseignants constatent des progrès nets en lecture.")
        i3 = self.item(m, "Harcèlement scolaire : aucun projet en 2026", "college.principal", 20, "1.3.2",
                       discussion="Le théâtre-forum de 2025 n'a pas été renouvelé faute de porteur.")
        self.decision(m, i3, "decision", "Le groupe sollicitera le collège pour un projet de prévention en 2027.",
                      objective="1.3.2")
        self.task(m, i1, "Relancer les porteurs dont le bilan 2025 est attendu depuis le 30 juin",
                  "commune.referente", dt.date(2026, 7, 15), status="en_cours")
        self.task(m, i3, "Rencontrer le collège au sujet de la prévention du harcèlement", "college.principal",
                  dt.date(2026, 10, 15), status="a_faire", objective="1.3.2")
        self.task(m, i2, "Solliciter les bailleurs sur l'accompagnement du relogement (objectif sans action)",
                  "hal.agence", dt.date(2026, 9, 30), status="a_faire", objective="3.1.3")
        return ("lire.coord", "college.principal")

    def theme_gt26e(self, m):
        i1 = self.item(m, "Exécution de la programmation 2026", "commune.referente", 30)
        self.decision(m, i1, "information", "Les actions 2026 se déroulent comme prévu, hors une action abandonnée.")
        i2 = self.item(m, "Objectifs sans action en 2026", "cabbalr.cheffe", 20, "2.4.1",
                       discussion="Entrepreneuriat, mobilité douce, logement et harcèlement scolaire sans action.")
        i3 = self.item(m, "Appel à projets 2027 : calendrier", "cabbalr.cheffe", 15)
        self.task(m, i3, "Diffuser l'appel à projets 2027", "cabbalr.cheffe", dt.date(2026, 10, 5))
        self.task(m, i2, "Identifier un porteur pour l'entrepreneuriat", "cabbalr.emploi", dt.date(2026, 11, 15),
                  status="en_cours", objective="2.4.1")
        self.task(m, i1, "Mettre à jour le tableau de suivi des bilans", "commune.referente", dt.date(2026, 12, 1),
                  status="en_cours")
        self.task(m, i2, "Étudier une action vélo avec l'agglomération", "cabbalr.ru", dt.date(2026, 10, 30),
                  status="abandonnee", objective="3.1.2")
        return ()

    def theme_gt26f(self, m):
        i1 = self.item(m, "Suivi des bilans 2025", "commune.referente", 20,
                       discussion="Les porteurs relancés ont promis leur bilan avant la fin de l'année.")
        i2 = self.item(m, "Dépôt des demandes 2027 : point d'étape", "cabbalr.cheffe", 20)
        late = [self.actions[(2026, k)] for k in LATE_2026]
        i3 = self.item(m, "Programmation complémentaire 2026 : deux demandes reçues", "commune.referente", 15)
        self.decision(m, i2, "information", "Vingt-huit demandes 2027 déposées à ce jour.")
        self.task(m, i3, "Instruire les deux demandes complémentaires", "commune.referente", dt.date(2026, 12, 10),
                  status="en_cours", action=late[0]["id"])
        self.task(m, i3, "Préparer la convocation du groupe technique du 15 décembre", "commune.referente",
                  dt.date(2026, 12, 1), status="a_faire")
        self.task(m, i1, "Transmettre la liste des bilans manquants à la DDETS", "commune.referente",
                  dt.date(2026, 11, 24), status="a_faire")
        return ()

    def theme_gt26g(self, m):
        for k in LATE_2026:
            a = self.actions[(2026, k)]
            self.item(m, f"Examen de la demande complémentaire : {a['title']}", self.contact_for(a["holder"]), 20,
                      a["principal"], a["id"])
        self.item(m, "Calendrier d'examen des demandes 2027", "commune.referente", 20)
        return tuple(self.contact_for(self.actions[(2026, k)]["holder"]) for k in LATE_2026)

    # ----------------------------------------------------------------- history
    def add_histories(self) -> None:
        rows = self.r.rows[M.Action]
        first = rows[0]["id"]
        for a in self.actions.values():
            chain = history(self.rng, a["fate"], a["deposit"], a.get("gt"), a.get("copil"), a["end"], a["received"],
                            self.today)
            for status, day, meeting, decision, note in chain:
                assert day <= self.today, (a["code"], status, day)
                self.r.add(M.ActionStatusChange, action_id=a["id"], status=status, date=day, meeting_id=meeting,
                           decision_id=decision, note=note, recorded_at=at(day, 11))
            row = rows[a["id"] - first]
            row["status"] = chain[-1][0]
            row["updated_at"] = at(chain[-1][1], 11)
            a["chain"] = [(status, day) for status, day, *_ in chain]

    # ----------------------------------------------------------------- photographs of the programme
    def programme_on(self, now: dict, day: dt.date, revised: frozenset[int] = frozenset()) -> dict:
        """The programme as it stood on ``day``, from its content now and each action's dated
        status chain: actions not yet filed left out, grants unknown before the COPIL's
        decision, nothing paid before the payment, results only once the bilan is in.
        ``revised``: actions whose State request was cut after the GT's « réservé » opinion."""
        by_id = {a["id"]: a for a in self.actions.values()}
        actions = []
        for row in now["actions"]:
            chain = [status for status, when in by_id[row["id"]]["chain"] if when <= day]
            if not chain:
                continue
            decided, paid = any(c in DECIDED for c in chain), "versee" in chain
            done = chain[-1] in ("justifiee", "cloturee")
            funding = {code: [requested, granted if decided else None, amount if paid else 0]
                       for code, (requested, granted, amount) in row["funding"].items()}
            if row["id"] in revised and "etat_pv" in funding:
                requested = funding["etat_pv"][0]
                funding["etat_pv"][0] = requested + max(50000, requested * 15 // 100 // 50000 * 50000)
            indicators = [[label, unit, target, result if done else None]
                          for label, unit, target, result in row["indicators"]]
            actions.append(dict(row, status=chain[-1], funding=funding, indicators=indicators))
        return {"funders": now["funders"], "actions": actions}

    def add_snapshots(self) -> None:
        """Two photographs of the 2026 programme: the one she took after the GT gave its
        opinions, and the one taken when the COPIL was marked held (its decisions, the
        grants, two State requests cut after a « réservé » opinion)."""
        now = programme_content(self.s)
        gt, copil = self.meetings["gt26b"], self.meetings["copil26"]
        revised = frozenset([a["id"] for a in sorted(self.actions.values(), key=lambda a: a["code"])
                             if a["year"] == 2026 and a.get("gt") and a["gt"][3] is Opinion.RESERVE
                             and a["fate"] in GRANTED][:2])
        for taken_at, label, meeting_id, day, cut in (
                (at(gt["date"], 12, 40), f"Avis du groupe technique du {gt['date']:%d/%m/%Y}", None, gt["date"],
                 revised),
                (at(copil["date"] + D(1), 9, 5), f"COPIL du {copil['date']:%d/%m/%Y}", copil["id"], copil["date"],
                 frozenset())):
            content = self.programme_on(now, day, cut)
            self.s.execute(insert(M.ProgrammeSnapshot.__table__).values(
                taken_at=taken_at, label=label, meeting_id=meeting_id,
                content=json.dumps(content, ensure_ascii=False, separators=(",", ":"))))

    def build(self, say) -> None:
        say("Partenaires et contacts")
        self.add_organisations()
        self.add_memberships()
        say("Programmation 2025 et 2026")
        self.plan_actions()
        self.add_programme_details()
        say("Réunions")
        self.add_meetings()
        self.add_histories()
        self.r.flush(self.s)
        say("Photographies du programme")
        self.add_snapshots()


def import_demo_perimeter(db) -> None:
    """The quartier's perimeter, imported from a GeoJSON file by the ordinary service (as
    she would), then dated like the rest of the set-up so that every build is the same."""
    with db.reader() as s:
        code = s.scalar(select(M.Quartier.code).order_by(M.Quartier.id).limit(1))
    feature = {"type": "Feature", "properties": {"code_qp": code, "lib_qp": "3 Îlots", "communes": "Béthune, Verquin"},
               "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in PERIMETER_RING]]}}
    with tempfile.TemporaryDirectory(prefix="qpv-demo-") as folder:
        path = Path(folder) / PERIMETER_FILE
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False),
                        encoding="utf-8")
        import_perimeter(db, path, code, expected_version=perimeter_target(db, code).version)
    with db.session() as s:
        s.execute(update(M.ChangeLog).where(M.ChangeLog.entity == "quartier", M.ChangeLog.operation == "perimeter")
                  .values(at=PERIMETER_IMPORTED, user=BUILDER))
