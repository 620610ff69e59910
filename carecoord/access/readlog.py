"""Which page writes the read log, and why the others need not (issue 15; NEN 7513).

Every page or htmx partial that shows a pupil *with care context* (support status, a
concern, a referral, a placement or visit, a meeting item or agreement, absence, consent,
Meldcode) writes one read-log row per pupil shown, in one query
(`students.selectors.log_read`), with the page kind: `FileAccess.page` is the URL name and
`FileAccess.section` the part shown (the `section` below).

Pages that show a pupil's name and class only, for *picking* a pupil (the type-ahead, the
walk-in form, the agenda search), are not logged: they show what every staff member of the
school may see to raise a concern. Pages without pupils are not logged either.

This table is the single list: `carecoord/tests/test_read_log_pages.py` fails when a URL of
`urls.py` is missing here, proves each LOGS entry with a test that counts one row per pupil
shown, and checks that `docs/read-log.md` shows exactly this table.
"""

from dataclasses import dataclass

LOGS = "logs"  # shows pupils with care context: one row per pupil shown
PICKING = "picking"  # name and class (no leerlingnummer) for picking a pupil: not logged
UPLOAD = "upload"  # the rows of the uploader's own LVS file (name, number, class): not logged
NO_PUPILS = "no pupils"  # shows no pupil
ACTION = "action"  # a POST that redirects; the page it leads to logs


@dataclass(frozen=True)
class PageLog:
    kind: str
    section: str = ""  # LOGS: what `FileAccess.section` starts with
    note: str = ""


def _logs(section, note=""):
    return PageLog(LOGS, section, note)


NONE = PageLog(NO_PUPILS)
POST = PageLog(ACTION)

PAGES: dict[str, PageLog] = {
    # --- the shell, people and settings ---
    "home": PageLog(NO_PUPILS, note="cards with counts only"),
    "healthz": NONE,
    "set_language": NONE,
    "two_factor_setup": NONE,
    "password_reset": NONE,
    "password_reset_done": NONE,
    "password_reset_confirm": NONE,
    "password_reset_complete": NONE,
    "accounts:school_switch": NONE,
    "accounts:staff_list": NONE,
    "accounts:staff_add": NONE,
    "accounts:staff_edit": NONE,
    "accounts:staff_two_factor_reset": NONE,
    "accounts:school_settings": NONE,
    "accounts:holiday_remove": NONE,
    "notifications:delivery_log": PageLog(NO_PUPILS, note="e-mails carry no pupil names"),
    # --- pupils ---
    "students:list": _logs("leerlingenlijst", "support status per pupil; also the htmx results"),
    "students:export": _logs("export"),
    "students:export_xlsx": _logs("export"),
    "students:autocomplete": PageLog(PICKING, note="the type-ahead: name and class"),
    "students:school_access_log": _logs("leesregistratie", "which part of whose file was read"),
    "students:import_upload": NONE,
    "students:import_columns": PageLog(UPLOAD, note="three sample rows of the uploaded file"),
    "students:import_confirm": PageLog(UPLOAD, note="the preview of the uploaded file"),
    "students:import_progress": NONE,
    "students:class_list": NONE,
    "students:class_add": NONE,
    "students:class_edit": NONE,
    "students:file": _logs("dossier"),
    "students:edit": _logs("gegevens wijzigen"),
    "students:leave": _logs("uitschrijven"),
    "students:support_status": _logs("ondersteuning"),
    "students:guardian_add": _logs("ouders"),
    "students:guardian_edit": _logs("ouders"),
    "students:consent_add": _logs("toestemming"),
    "students:consent_withdraw": _logs("toestemming"),
    "students:partner_link_add": _logs("partners"),
    "students:partner_link_end": _logs("partners", "POST, logged before the change"),
    "students:access_log": _logs("leesregistratie"),
    # --- zorgroute ---
    "concerns:concern_inbox": _logs("zorgmeldingen", "category and urgency per pupil; also the htmx results"),
    "concerns:concern_create": PageLog(PICKING, note="the form: the picked pupil's name and class"),
    "concerns:concern_guidance": NONE,
    "concerns:concern_mine": _logs("mijn zorgmeldingen", "category, status and feedback"),
    "concerns:concern_figures": PageLog(NO_PUPILS, note="figures without names"),
    "concerns:concern_detail": _logs("zorgmelding", "in full, or the raiser's view"),
    "concerns:concern_assign": _logs("zorgmelding", "the triage re-render (htmx) or the form again"),
    "concerns:concern_classify": _logs("zorgmelding", "the triage re-render"),
    "concerns:concern_action_add": _logs("zorgmelding", "the triage re-render"),
    "concerns:concern_action_done": _logs("zorgmelding", "the triage re-render"),
    "concerns:concern_close": _logs("zorgmelding", "the triage re-render"),
    "concerns:meldcode_step_add": _logs("zorgmelding", "the triage re-render"),
    "concerns:category_list": NONE,
    "concerns:category_create": NONE,
    "concerns:category_edit": NONE,
    # --- trajectories ---
    "referrals:referral_list": _logs("aanmeldingen"),
    "referrals:referral_create": _logs("aanmelding", "only once a pupil is chosen: their open concerns"),
    "referrals:referral_waiting_list": _logs("wachtlijst"),
    "referrals:referral_detail": _logs("aanmelding"),
    "referrals:referral_plan_intake": _logs("aanmelding"),
    "referrals:referral_record_intake": _logs("aanmelding"),
    "referrals:referral_place": _logs("aanmelding"),
    "referrals:referral_decide": _logs("aanmelding"),
    "referrals:facility_list": PageLog(NO_PUPILS, note="facilities with counts"),
    "referrals:facility_add": NONE,
    "referrals:facility_edit": NONE,
    "referrals:facility_lesson_hours": NONE,
    "referrals:facility_group_export": _logs("export"),
    "referrals:facility_group_export_xlsx": _logs("export"),
    "referrals:facility_figures": _logs("voorziening cijfers", "the pupils' rows, for who may see them"),
    "referrals:facility_group": _logs("groep"),
    "referrals:placement_list": _logs("plaatsingen"),
    "referrals:placement_detail": _logs("plaatsing"),
    "referrals:placement_plan": _logs("plaatsing"),
    "referrals:placement_goal_add": _logs("plaatsing"),
    "referrals:placement_evaluate": _logs("plaatsing"),
    "referrals:placement_end": _logs("plaatsing"),
    "referrals:facility_board_home": PageLog(NO_PUPILS, note="redirects to the board"),
    "referrals:facility_board": _logs(
        "bord", "its own 20-second refresh: again when other pupils show, or after 10 min"
    ),
    "referrals:visit_check_in": _logs(
        "bord", "the pupils the tap's answer shows (htmx): those present and the tapped pupil"
    ),
    "referrals:visit_check_out": _logs(
        "bord", "the pupils the tap's answer shows (htmx): those present and the tapped pupil"
    ),
    "referrals:visit_no_show": _logs("bord", "the board re-render (htmx)"),
    "referrals:visit_walk_in": PageLog(PICKING, note="any pupil of the school by name and class"),
    "referrals:visit_note": _logs("bezoek"),
    "referrals:visit_correct": _logs("bezoek"),
    # --- meetings ---
    "meetings:list": PageLog(NO_PUPILS, note="meetings with counts"),
    "meetings:create": NONE,
    "meetings:agreement_list": _logs("afspraken", "Mijn afspraken"),
    "meetings:agreement_done": POST,
    "meetings:series_list": NONE,
    "meetings:series_create": NONE,
    "meetings:series_detail": NONE,
    "meetings:series_stop": POST,
    "meetings:feed_settings": NONE,
    "meetings:feed": PageLog(NO_PUPILS, note="calendar feed without names"),
    "meetings:detail": _logs("overleg", "agenda, carried-over agreements, suggestions"),
    "meetings:minutes": _logs("overleg verslag", "agenda and carried-over agreements"),
    "meetings:edit": NONE,
    "meetings:cancel": POST,
    "meetings:participants": NONE,
    "meetings:agenda_add": POST,
    "meetings:agenda_search": PageLog(PICKING, note="pupils to put on the agenda: name and class"),
    "meetings:item_update": POST,
    "meetings:item_remove": POST,
    "meetings:agreement_add": _logs("overleg", "the page again when the form has errors"),
    "meetings:item_agreement_add": _logs("overleg", "the page again when the form has errors"),
    # --- absence ---
    "absence:overview": _logs("verzuimoverzicht", "also the htmx rows"),
    "absence:import_upload": NONE,
    "absence:import_columns": PageLog(UPLOAD, note="three sample rows of the uploaded file"),
    "absence:import_confirm": PageLog(NO_PUPILS, note="counts per code"),
    "absence:import_progress": NONE,
    "absence:import_codes": POST,
    "absence:policy": NONE,
    "absence:mas_deadlines": NONE,
    "absence:student": _logs("verzuim"),
    "absence:record_add": _logs("verzuim registreren"),
    "absence:record_remove": _logs("verzuim registreren", "POST, logged before the change"),
    "absence:step_add": _logs("MAS-stap"),
    # --- the care record: notes, documents, history, families ---
    "records:note_add": _logs("notitie toevoegen"),
    "records:note": _logs("notitie"),
    "records:note_edit": _logs("notitie"),
    "records:note_remove": _logs("notitie"),
    "records:note_flags": PageLog(NO_PUPILS, note="who a note was handed to (htmx part of the note page, which logs)"),
    "records:document_list": _logs("documenten"),
    "records:document_add": _logs("document toevoegen"),
    "records:document": _logs("document"),
    "records:document_download": _logs("document gedownload"),
    "records:document_remove": _logs("document"),
    "records:document_flags": PageLog(
        NO_PUPILS, note="who a document was handed to (htmx part of the document page, which logs)"
    ),
    "records:attached_documents": _logs("documenten", "the documents of one agenda item, evaluation, ..."),
    "records:file_export": _logs("dossier", "the page, the print view or the PDF"),
    "records:history": _logs("geschiedenis", "the versions of one object of the record"),
    "records:family_link_add": _logs("gezin"),
    "records:family_decide": POST,
    "records:family_suggestions": _logs("gezinnen", "pairs suggested by the import"),
    # --- handovers to another school ---
    "handovers:list": _logs("overdrachten", "pupils handed over from and to the school"),
    "handovers:start": _logs("overdracht starten"),
    "handovers:care_summary": _logs("zorgsamenvatting", "the form, or the PDF (an export)"),
    "handovers:detail": _logs("overdracht", "the pupil who left, and who arrived once accepted"),
    "handovers:accept": _logs("overdracht"),
    "handovers:meeting": _logs("overdracht"),
    "handovers:item_download": _logs("overgedragen document"),
    # The daily point card (cico, issue 20). The scoring screen shows any staff member a
    # pupil's name, class and expectations: that a pupil has a card is care context.
    # --- outcomes: figures without names for the leader and the SWV (suppressed) ---
    "outcomes:dashboard": PageLog(NO_PUPILS, note="figures without names, small numbers suppressed"),
    "outcomes:dashboard_export": PageLog(NO_PUPILS, note="the dashboard's figures as XLSX"),
    "outcomes:region": PageLog(NO_PUPILS, note="the SWV's schools side by side, suppressed"),
    "outcomes:region_export": PageLog(NO_PUPILS, note="the region's figures as XLSX"),
    "outcomes:region_compare": PageLog(NO_PUPILS, note="the school's row against the region's median"),
    "outcomes:group_funding": PageLog(NO_PUPILS, note="hours, pupil count and suppressed outcomes per month"),
    "outcomes:group_funding_xlsx": PageLog(NO_PUPILS, note="the funding report as XLSX"),
    "outcomes:group_funding_pdf": PageLog(NO_PUPILS, note="the funding report as PDF"),
    "outcomes:funnel": PageLog(NO_PUPILS, note="the school year in steps, suppressed"),
    "outcomes:placement_outcome": _logs(
        "plaatsing voor-tijdens-na", "one pupil's absence, concerns and card around a placement"
    ),
    "cico:card_list": _logs("puntenkaarten", "the pupils with a card (name, class), to pick one to score"),
    "cico:card_edit": _logs("puntenkaart"),
    "cico:card_detail": _logs("puntenkaart grafieken"),
    "cico:card_propose": POST,
    "cico:score": _logs("puntenkaart scoren"),
    "cico:day_entry": _logs("puntenkaart invoeren", "the coach enters a paper card"),
    "cico:card_print": _logs("puntenkaart afdrukken"),
    "cico:day_check_in": POST,
    "cico:day_check_out": POST,
    "cico:facility_day": _logs("puntenkaarten dag", "the coach's day: every card of the facility"),
    # --- the parents' portal (portal app): the reader is the parent or the pupil ---
    "portal:home": PageLog(NO_PUPILS, note="the participant's children by name (their own), or a redirect"),
    "portal:signin": NONE,
    "portal:code": NONE,
    "portal:invitation": NONE,
    "portal:app": PageLog(NO_PUPILS, note="the participant adds or removes their authenticator app"),
    "portal:child": _logs("ouderportaal", "what the school shares with the participant"),
    "portal:consent_give": POST,
    "portal:consent_withdraw": POST,
    "portal:item_view": _logs("ouderportaal overleg", "a shared agenda item and the participant's view"),
    "portal:plan": _logs("ouderportaal plan", "a shared plan and its goals"),
    "portal:opp_version": _logs("ouderportaal opp", "a shared OPP version, the participant's view on it, instemming"),
    "portal:opp_agree": POST,
    "portal:document_download": _logs("ouderportaal document"),
    "portal:access_log": _logs("ouderportaal inzage", "who read the child's file"),
    "portal:manage": _logs("ouderportaal beheer", "the coordinator's page: access, sharing, parents' input"),
    "portal:revoke": POST,
    "portal:share": POST,
    # --- tasks and the home page "Vandaag" (todo app) ---
    "todo:list": _logs("taken", "the pupil a task is about, when the user may see them"),
    "todo:done": POST,
    "todo:menu_count": PageLog(NO_PUPILS, note="a number in the menu"),
    "todo:mail_settings": NONE,
    "todo:schedule": PageLog(NO_PUPILS, note="the periodic tasks and their last run"),
    "todo:today_block": _logs("vandaag", "one block of the home page: tasks, new concerns, the viproom, absence"),
    # --- the groeidocument / OPP and the requests to the samenwerkingsverband (plans) ---
    "plans:plan": _logs("opp", "the OPP's versions and, for the coordinator, the pupil's requests"),
    "plans:plan_start": POST,
    "plans:plan_new_draft": POST,
    "plans:version": _logs("opp"),
    "plans:version_edit": _logs("opp"),
    "plans:version_discussion": _logs("opp"),
    "plans:version_consent": _logs("opp"),
    "plans:version_adopt": POST,
    "plans:version_pdf": _logs("opp export", "one version as a PDF"),
    "plans:tasks": _logs("opp-taken", "pupils with an OPP or request to act on"),
    "plans:request_list": _logs("aanvragen swv", "the SWV user: only requests sent to them, with consent"),
    "plans:request_add": _logs("aanvraag swv"),
    "plans:request": _logs("aanvraag swv", "what was sent, the thread and the decision"),
    "plans:request_document": _logs("aanvraag swv", "a document sent with the request (download)"),
    "plans:request_message": POST,
    "plans:request_meeting": POST,
    "plans:request_decide": POST,
    "plans:request_withdraw": POST,
    "plans:referral_add": _logs("doorverwijzing"),
    "plans:referral_list": _logs("doorverwijzingen", "a partner: only referrals to their organisation, with consent"),
    "plans:referral": _logs("doorverwijzing"),
    "plans:referral_accept": POST,
    "plans:referral_decline": POST,
    "plans:referral_end": POST,
    # --- privacy: retention (figures only) and AVG rights ---
    "privacy:retention": PageLog(NO_PUPILS, note="counts per kind of record, never a pupil"),
    "privacy:retention_dry_run": POST,
    "privacy:student": _logs("avg", "inzage exports and AVG requests of one pupil"),
    "privacy:inzage_request": POST,
    "privacy:rights_request_add": _logs("avg-verzoek"),
    "privacy:rights_request_handle": _logs("avg-verzoek"),
    "privacy:inzage": _logs("inzage-export", "the export's page: progress, then the download"),
    "privacy:inzage_progress": PageLog(NO_PUPILS, note="the progress bar only (polled)"),
    "privacy:inzage_download": _logs("inzage-export", "the ZIP"),
    # --- applicatiebeheer and invitations (issue 22): no pupil on any of these pages ---
    "invitation_accept": NONE,
    "accounts:staff_deactivate": POST,
    "accounts:invitation_resend": POST,
    "accounts:invitation_revoke": POST,
    "accounts:region_home": PageLog(NO_PUPILS, note="schools and partner organisations"),
    "accounts:region_school_add": NONE,
    "accounts:region_school": PageLog(NO_PUPILS, note="the school's functioneel beheerders only"),
    "accounts:region_school_edit": PageLog(
        NO_PUPILS, note="the school's own data; after a change of type, staff whose role no longer counts"
    ),
    "accounts:region_organisation_add": NONE,
    "accounts:region_organisation": NONE,
    "accounts:region_log": PageLog(NO_PUPILS, note="changes of schools, organisations, roles, invitations"),
    "accounts:professionals": PageLog(NO_PUPILS, note="a partner organisation's own people"),
    "accounts:professional_deactivate": POST,
    "accounts:import_upload": PageLog(NO_PUPILS, note="the staff import: staff, no pupils"),
    "accounts:import_confirm": PageLog(NO_PUPILS, note="the staff import: staff, no pupils"),
    "accounts:import_columns": PageLog(NO_PUPILS, note="the staff import: staff, no pupils"),
    "accounts:import_progress": NONE,
    # --- group arrangements: funding and the worker's log (issue 25) ---
    "referrals:facility_funding": PageLog(NO_PUPILS, note="the funding agreement of a group"),
    "referrals:facility_funding_export": PageLog(NO_PUPILS, note="hours per month of the group, no pupils"),
    "referrals:facility_funding_export_xlsx": PageLog(NO_PUPILS, note="hours per month of the group, no pupils"),
    "referrals:group_contact_add": PageLog(NO_PUPILS, note="the worker's log, no pupil names"),
    "referrals:coaching_nominate": _logs("kansencoach", "the teacher's own nominations and their state"),
    "referrals:coaching_caseload": _logs("kansencoach", "the caseload and the open nominations"),
    "referrals:coaching_nomination": _logs("kansencoach"),
    "referrals:coaching_start": POST,
    "referrals:coaching_withdraw": POST,
    "referrals:coaching_detail": _logs("kansencoach", "the conversations"),
    "referrals:coaching_end": _logs("kansencoach"),
}

# URLs of libraries, by prefix: sign-in, second factor, the school's account, the Django admin.
LIBRARY_PREFIXES = {
    "account_": "sign-in (django-allauth)",
    "mfa_": "second factor (django-allauth)",
    "socialaccount_": "school account (django-allauth)",
    "openid_connect_": "school account (django-allauth)",
    "admin:": "Django admin: no pupil data in it (accounts/tests/test_admin_access.py)",
}


def page_log(view_name: str) -> PageLog | None:
    if view_name in PAGES:
        return PAGES[view_name]
    if any(view_name.startswith(prefix) for prefix in LIBRARY_PREFIXES):
        return NONE
    return None


KIND_LABELS = {
    LOGS: "logs one row per pupil shown",
    PICKING: "not logged: name and class for picking",
    UPLOAD: "not logged: the uploaded file's own rows",
    NO_PUPILS: "not logged: no pupils",
    ACTION: "not logged: redirects to a page that logs",
}


def markdown_table() -> str:
    """The table of docs/read-log.md (a test compares them)."""
    lines = ["| URL name | read log | section | note |", "|---|---|---|---|"]
    for name, entry in PAGES.items():
        section = f"`{entry.section}`" if entry.section else ""
        lines.append(f"| `{name}` | {KIND_LABELS[entry.kind]} | {section} | {entry.note} |")
    for prefix, what in LIBRARY_PREFIXES.items():
        lines.append(f"| `{prefix}*` | {KIND_LABELS[NO_PUPILS]} |  | {what} |")
    return "\n".join(lines)
