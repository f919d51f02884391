"""The console, end to end in a real headless Chromium (driven by Selenium through chromedriver).

People only, no API key pasted anywhere: the operator creates a brand with an invitation for its first admin;
she accepts it in the browser, invites a brand manager from the Members page and two agencies (not in briefd yet)
from the Roster page; each invited person sets a name and a password from their link. The manager and the two
agencies' people, each in their own browser session, walk one project from a new strategy to close through the
console's forms only; each sees its inbox change, and the timeline names each person with their organization. Every page visited is saved as a
screenshot under .local/screens/, and checked: no console error, nothing loaded from another origin, every
input labelled, under 100 KB, no horizontal scrolling on a 390-px-wide phone. Also: an agency never sees the
other agency's task or the brand's economics; a viewer sees no buttons; a title with markup renders as text;
sign-out ends the session. The people are told by email (MAIL_DIR is the folder of scripts/smtp_server.py): each
invitation, each step that waits on them, a mention, a password reset; they act from the emails' links.
LANGUAGE (en or fr) is the browsers' language: the checks read their words from the console's catalogue in that
language, and in French every page and every email is also checked for a sentence of the English catalogue.
Usage: console_e2e.py BASE_URL OPERATOR_TOKEN SCREENS_DIR MAIL_DIR [LANGUAGE]
"""
import json
import os
import re
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, OPERATOR, SCREENS, MAIL = sys.argv[1:5]
LANGUAGE = sys.argv[5] if len(sys.argv) > 5 else "en"
os.makedirs(SCREENS, exist_ok=True)
checks = 0


def catalogue(language):
    """The console's catalogue of `language`, flat: `nav.inbox` to its text (a plural to its `one`/`other`)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Console", "Catalogues",
                        f"{language}.json")
    with open(path, encoding="utf-8") as f:
        tree = json.load(f)
    flat = {}

    def walk(node, prefix):
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict) and set(value) != {"one", "other"}:
                walk(value, name)
            else:
                flat[name] = value
    walk(tree, "")
    return flat


WORDS, ENGLISH, FRENCH = catalogue(LANGUAGE), catalogue("en"), catalogue("fr")


def norm(text):
    """Text as compared: no-break spaces (French writes "42 000,00 €" with them) as plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def t(key, _count=None, **values):
    """The catalogue's sentence at `key` in the walk's language, filled as the console fills it (`_count` chooses
    a plural's form by the language's rule)."""
    entry = WORDS[key]
    if isinstance(entry, dict):
        entry = entry["one"] if _count in ((0, 1) if LANGUAGE == "fr" else (1,)) else entry["other"]
        values["count"] = _count
    for name, value in values.items():
        entry = entry.replace("{" + name + "}", str(value))
    return norm(entry)


def english_sentences():
    """The English catalogue's sentences that French says otherwise, cut at their placeholders: each piece of two
    words or more that no French sentence holds. None may appear on a French page."""
    def texts(entry):
        return list(entry.values()) if isinstance(entry, dict) else [entry]
    french = "\n".join(x for e in FRENCH.values() for x in texts(e))
    out = set()
    for key, entry in ENGLISH.items():
        if entry == FRENCH.get(key):
            continue
        for text in texts(entry):
            for piece in re.split(r"\{[a-z_]+\}", text):
                p = piece.strip(" \n.,;:!?()\"'“”")
                if len(p.split(" ")) >= 2 and len(p) >= 8 and p not in french:
                    out.add(p)
    return sorted(out)


ENGLISH_SENTENCES = english_sentences() if LANGUAGE == "fr" else []
# What the emails say, in each language (Sources/Mailer/MailCatalogue.swift), and what of English may not be there.
SUBJECTS = {
    "en": {"invited": "You are invited to", "offered": "A task is offered to you: ",
           "declined": "A task was declined: ",
           "review": "A delivery waits for your review", "mention": "{who} mentioned you",
           "changes": "Changes requested: ", "project": "The project waits on you",
           "reset": "Reset your briefd password"},
    "fr": {"invited": "Vous êtes invité·e à rejoindre", "offered": "Une tâche vous est proposée : ",
           "declined": "Tâche déclinée : ", "review": "Une livraison attend votre revue",
           "mention": "{who} vous a mentionné·e", "changes": "Modifications demandées : ",
           "project": "Le projet vous attend", "reset": "Réinitialisez votre mot de passe briefd"},
}[LANGUAGE]
ENGLISH_MAIL = ["Hello", "Open in briefd", "waits on you", "You receive this email", "Stop these emails",
                "Accept the invitation", "Choose a new password"]
# The walk's values as each language writes them, and its organizations (both walks share one daemon).
FORMATS = {
    "en": {"budget": "€50,000.00", "roi": "129%", "amounts": ("96,000", "42,000"), "brand": "Acme Foods",
           "northwind": "Northwind Studio", "harbor": "Blue Harbor Media", "domain": ""},
    "fr": {"budget": "50 000,00 €", "roi": "129 %", "amounts": ("96 000", "42 000"), "brand": "Maison Acme",
           "northwind": "Studio Nord", "harbor": "Havre Médias", "domain": "fr."},
}[LANGUAGE]
BRAND, NORTHWIND, HARBOR = FORMATS["brand"], FORMATS["northwind"], FORMATS["harbor"]


def subject(kind, **values):
    out = SUBJECTS[kind]
    for name, value in values.items():
        out = out.replace("{" + name + "}", value)
    return out


def emails(to, subject=""):
    """The emails the SMTP server received for `to` whose subject contains `subject`, in arrival order."""
    out = []
    for name in sorted(os.listdir(MAIL)):
        if name.endswith(".json"):
            with open(os.path.join(MAIL, name)) as f:
                m = json.load(f)
            if m["rcpt_to"] == to and subject in m["headers"].get("subject", ""):
                out.append(m)
    return out


def email_link(to, subject, path, unsubscribe=True):
    """Waits (20 s at most) for one email to `to` with `subject` in its subject, and answers its link to `path`.
    `unsubscribe`: it is a notification, which one click stops (an invitation or a reset is not)."""
    deadline = time.time() + 20
    while not emails(to, subject) and time.time() < deadline:
        time.sleep(0.2)
    got = emails(to, subject)
    check(len(got) == 1, f"one email to {to} about {subject!r}: {[m['headers'].get('subject') for m in emails(to)]}")
    if LANGUAGE == "fr":
        said = [e for e in ENGLISH_MAIL if e in got[0]["text"] or e in got[0]["headers"].get("subject", "")]
        check(not said, f"the French email to {to} about {subject!r} says {said} in English")
    links = [u for u in re.findall(r"https?://\S+", got[0]["text"]) if path in u]
    check(links and links[0].startswith(BASE), f"the email to {to} links to {path}: {got[0]['text']!r}")
    check(got[0]["headers"].get("list-unsubscribe-post") == "List-Unsubscribe=One-Click"
          or not unsubscribe, "a notification can be unsubscribed in one click")
    return links[0]


def staleness_of(element):
    """True once `element` left the document. Chrome answers a query about a node of a page being replaced either
    with a stale-element error or with "Node with given id does not belong to the document": both mean gone."""
    def gone(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return gone


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        raise AssertionError(message)


def api(method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"{}")


def organization(name, kind, admin_email):
    """The operator's one call: the organization, its integration key, and its first admin's invitation link, in
    the walk's language."""
    out = api("POST", "/v1/organizations", OPERATOR,
              {"name": name, "kind": kind, "admin_email": admin_email, "admin_locale": LANGUAGE})
    return out["organization"]["id"], out["api_key"]["token"], out["invitation"]["accept_url"]


PASSWORD = "a long console password"


class Person:
    """One person in one browser session."""

    def __init__(self, name, email, full_name):
        self.name, self.email, self.full_name = f"{LANGUAGE}-{name}", email.replace("@", "@" + FORMATS["domain"]), \
            full_name
        options = Options()
        # The browser's language: what its Accept-Language says (headless Chromium reads the preference).
        options.add_argument(f"--lang={LANGUAGE}")
        options.add_experimental_option("prefs", {"intl.accept_languages": f"{LANGUAGE},{LANGUAGE}-FR"})
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                    "--disable-dev-shm-usage"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.shots = 0
        self.expected = set()

    def open(self, path, status=None):
        self.driver.get(BASE + path)
        self.inspect(status=status)

    def follow(self, subject, path="/console/", unsubscribe=True):
        """Opens the link of the email about `subject` this person received: where they act."""
        url = email_link(self.email, subject, path, unsubscribe)
        self.open(url.replace(BASE, ""))
        return url

    def click(self, element):
        """Clicks a submit button or a link and waits for the next page (a check must never read the old one)."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.driver, 10).until(staleness_of(page))

    def inspect(self, shot=True, status=None):
        """`status`: the page itself is answered with this 4xx on purpose (a refused form, a 404 page); Chrome logs
        that as a network error, which is the only error allowed."""
        d = self.driver
        if status:
            # Chrome logs the page's own status as it arrives, sometimes after the next page loaded: kept per session.
            self.expected.add((d.current_url.split("#")[0].split("?")[0], status))
        errors = [e for e in d.get_log("browser") if e["level"] == "SEVERE"
                  and not (e.get("source") == "network" and any(
                      e["message"].startswith(url + " ") and f"status of {code}" in e["message"]
                      for url, code in self.expected))]
        notice = d.find_elements(By.CSS_SELECTOR, "p.notice, p[role=alert]")
        check(not errors, f"{self.name} at {d.current_url}: console errors {errors}; "
                          f"page says {[n.text for n in notice]}")
        resources = d.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        outside = [r for r in resources if not r.startswith(BASE)]
        check(not outside, f"{self.name} at {d.current_url}: loaded from outside {outside}")
        unlabelled = d.execute_script("""
            return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => e.labels.length === 0).map(e => e.name)""")
        check(not unlabelled, f"{self.name} at {d.current_url}: inputs without a label {unlabelled}")
        weight = len(d.page_source.encode()) + d.execute_script(
            "return performance.getEntriesByType('resource').reduce((n, e) => n + (e.decodedBodySize || 0), 0)")
        check(weight < 100_000, f"{self.name} at {d.current_url}: page weighs {weight} bytes")
        check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == LANGUAGE,
              f"{self.name} at {d.current_url}: the page is not in {LANGUAGE}")
        if ENGLISH_SENTENCES:
            page = self.text()
            said = [e for e in ENGLISH_SENTENCES if e in page]
            check(not said, f"{self.name} at {d.current_url}: English on a French page: {said}")
        if shot:
            self.shots += 1
            page = d.current_url.replace(BASE, "").split("?")[0].strip("/").replace("/", "_") or "root"
            page = page[:60]
            d.save_screenshot(os.path.join(SCREENS, f"{self.name}-{self.shots:02d}-{page}.png"))

    def accept(self, url):
        """Opens an invitation link, sets a name and a password: signed in, on the inbox."""
        self.open(url.replace(BASE, ""))
        check(t("invitation.title") in self.driver.title, f"{self.name}: the invitation page")
        check(self.email in self.text(), f"{self.name}: the invitation names {self.email}")
        self.driver.find_element(By.ID, "name").send_keys(self.full_name)
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.click(self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        self.inspect()
        check(t("inbox.title") in self.driver.title, f"{self.name}: the inbox after accepting")

    def sign_in(self, keyboard=False):
        self.open("/console")
        check(t("signin.title") in self.driver.title, f"{self.name}: the sign-in page first")
        if keyboard:
            # By keyboard only: Tab until the email's field has the focus, type, Tab to the password, type, Enter.
            page = self.driver.find_element(By.TAG_NAME, "html")
            for _ in range(6):
                self.driver.switch_to.active_element.send_keys(Keys.TAB)
                if self.driver.switch_to.active_element.get_attribute("id") == "email":
                    break
            check(self.driver.switch_to.active_element.get_attribute("id") == "email", "the email's field by Tab")
            self.driver.switch_to.active_element.send_keys(self.email + Keys.TAB)
            check(self.driver.switch_to.active_element.get_attribute("id") == "password", "then the password's")
            self.driver.switch_to.active_element.send_keys(PASSWORD + Keys.ENTER)
            WebDriverWait(self.driver, 10).until(staleness_of(page))
        else:
            self.driver.find_element(By.ID, "email").send_keys(self.email)
            self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
            self.click(self.driver.find_element(By.CSS_SELECTOR, "form[action='/console/login'] button"))
        self.inspect()
        check(t("inbox.title") in self.driver.title, f"{self.name}: the inbox after signing in")

    def sign_out(self):
        self.open("/console")
        self.click(self.driver.find_element(By.CSS_SELECTOR, "form[action='/console/logout'] button"))
        self.inspect()
        check(t("signin.title") in self.driver.title, f"{self.name}: signed out")

    def invitation_link(self):
        """The link a page shows once after an invitation."""
        links = [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, "p.notice code.secret")]
        check(len(links) == 1 and "/console/invitations/" in links[0], f"{self.name}: one invitation link {links}")
        return links[0]

    def text(self):
        return norm(self.driver.find_element(By.TAG_NAME, "body").text)

    def source(self):
        return self.driver.page_source

    def inbox(self):
        self.open("/console")
        return self.text()

    def form(self, form_id):
        return self.driver.find_element(By.ID, f"form-{form_id}")

    def submit(self, form_id, fields=None, select=None):
        """Fills the form `form-<form_id>` and sends it; the answer is a 303 to the page, which is inspected."""
        form = self.form(form_id)
        for name, value in (fields or {}).items():
            element = form.find_element(By.CSS_SELECTOR, f"[name='{name}']:not(select)")
            if element.get_attribute("type") == "date":
                # A date input types in the locale's order; the picker's value is what a person ends up setting.
                self.driver.execute_script("arguments[0].value = arguments[1]", element, value)
                continue
            element.clear()
            element.send_keys(value)
        for name, value in (select or {}).items():
            Select(form.find_element(By.CSS_SELECTOR, f"select[name='{name}']")).select_by_visible_text(value)
        self.click(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        self.inspect()

    def readme_shot(self, name):
        """With README_SHOTS=<folder>: the whole page at desktop width, for the README."""
        folder = os.environ.get("README_SHOTS")
        if not folder:
            return
        height = min(self.driver.execute_script("return document.documentElement.scrollHeight"), 2200)
        self.driver.set_window_size(1280, height)
        if LANGUAGE != "en":
            name = name.replace(".png", f"-{LANGUAGE}.png")
        self.driver.save_screenshot(os.path.join(folder, name))
        self.driver.set_window_size(1280, 900)

    def quit(self):
        self.driver.quit()


brand_id, brand_admin, ana_link = organization(
    BRAND, "brand", "ana.martin@acme.example".replace("@", "@" + FORMATS["domain"]))
ana = Person("brand-ana", "ana.martin@acme.example", "Ana Martin")
maya = Person("brand-maya", "maya.dupont@acme.example", "Maya Dupont")
ali = Person("agency-ali", "ali.benali@northwind.example", "Ali Benali")
bea = Person("agency-bea", "bea.costa@harbor.example", "Bea Costa")
viewer = Person("brand-viewer", "vic.viewer@acme.example", "Vic Viewer")
people = [ana, maya, ali, bea, viewer]
try:
    # The French pages are checked against the English catalogue's sentences: enough of them that the check can fail.
    check(LANGUAGE == "en" or len(ENGLISH_SENTENCES) > 200, f"only {len(ENGLISH_SENTENCES)} English sentences")
    # The brand's first admin accepts the operator's invitation, then invites her people from the Members page.
    check(email_link(ana.email, subject("invited"), "/console/invitations/", unsubscribe=False) == ana_link,
          "Ana's invitation came by email, in her language")
    ana.accept(ana_link)
    links = {}
    for who, role in ((maya, "manager"), (viewer, "viewer")):
        ana.open("/console/members")
        ana.driver.find_element(By.ID, "invite-email").send_keys(who.email)
        Select(ana.driver.find_element(By.ID, "invite-role")).select_by_visible_text(t(f"role.{role}"))
        ana.click(ana.driver.find_element(By.CSS_SELECTOR, "form[action='/console/members/invite'] button"))
        ana.inspect()
        links[who.name] = ana.invitation_link()
    # And the brand chooses its agencies on the Roster page: neither is in briefd yet, so each gets an invitation
    # whose acceptance creates the agency with that person as its admin, on the brand's roster.
    for who, agency in ((ali, NORTHWIND), (bea, HARBOR)):
        ana.open("/console/roster")
        ana.driver.find_element(By.ID, "agency_name").send_keys(agency)
        ana.driver.find_element(By.ID, "admin_email").send_keys(who.email)
        ana.click(ana.driver.find_element(By.XPATH, f"//button[text()='{t('roster.invite_by_email')}']"))
        ana.inspect()
        links[who.name] = ana.invitation_link()
    for who in (maya, viewer, ali, bea):
        # Each person opens the invitation from their email: the same link the page showed once.
        check(email_link(who.email, subject("invited"), "/console/invitations/", unsubscribe=False) == links[who.name],
              f"{who.name}: the invitation's email carries its link")
        who.accept(links[who.name])
    check(t("inbox.empty") in ali.text(), "agency inbox empty before any brief")
    # A link works once.
    ali.open(links[ali.name].replace(BASE, ""), status=410)
    check(t("invitation.gone_title") in ali.driver.title, "a used invitation is gone")
    # Bea signs out and in again, by keyboard only, with her email and password.
    bea.sign_out()
    bea.sign_in(keyboard=True)
    ana.open("/console/members")
    check("Maya Dupont" in ana.text() and t("role.manager") in ana.text() and "Vic Viewer" in ana.text(), "the members")
    ana.open("/console/roster")
    check(NORTHWIND in ana.text() and HARBOR in ana.text() and t("roster.state.active") in ana.text(),
          "both agencies active on the brand's roster")
    ali.open("/console/roster")
    check(BRAND in ali.text() and t("roster.state.active") in ali.text(), "the agency sees the brand that chose it")

    # A webhook endpoint, so the webhooks page has deliveries to show (it points at a closed port: they fail).
    api("POST", "/v1/webhook-endpoints", brand_admin, {"url": "http://127.0.0.1:9/hooks", "description": "ERP"})

    # The brand manager opens a project: the KPI editor adds a row, a bad key is refused next to its field.
    maya.open("/console/projects/new")
    d = maya.driver
    d.find_element(By.ID, "title").send_keys("Spring launch")
    d.find_element(By.ID, "objectives").send_keys("Grow sign-ups in Spain\nLaunch the new range")
    d.find_element(By.ID, "audience").send_keys("Urban families")
    d.find_element(By.ID, "channels").send_keys("social\nsearch")
    d.find_element(By.ID, "budget").send_keys("50000")
    d.find_element(By.ID, "kpi-0-key").send_keys("Sign Ups")
    d.find_element(By.ID, "kpi-0-name").send_keys("Sign-ups")
    d.find_element(By.ID, "kpi-0-target").send_keys("1000")
    maya.click(d.find_element(By.CSS_SELECTOR, "button[value=add_kpi]"))
    maya.inspect()
    check(len(d.find_elements(By.CSS_SELECTOR, ".kpi-row")) == 2, "Add a KPI adds a row")
    check(d.find_element(By.ID, "kpi-0-name").get_attribute("value") == "Sign-ups", "rows keep what was typed")
    d.find_element(By.ID, "kpi-1-key").send_keys("cpa")
    d.find_element(By.ID, "kpi-1-name").send_keys("Cost per acquisition")
    Select(d.find_element(By.ID, "kpi-1-comparator")).select_by_visible_text(t("comparator.lte"))
    d.find_element(By.ID, "kpi-1-target").send_keys("40")
    d.find_element(By.ID, "kpi-1-unit").send_keys("EUR")
    maya.click(d.find_element(By.CSS_SELECTOR, "button[value=create]"))
    maya.inspect(status=422)
    check(t("projects.new") in d.title, "a refused strategy stays on the form")
    key_error = d.find_element(By.ID, "kpi-0-key").find_element(By.XPATH, "following-sibling::p").text
    check(t("strategy.invalid.kpi_key") in norm(key_error), f"the KPI key's error is next to it: {key_error!r}")
    d.find_element(By.ID, "kpi-0-key").clear()
    d.find_element(By.ID, "kpi-0-key").send_keys("signups")
    maya.click(d.find_element(By.CSS_SELECTOR, "button[value=create]"))
    maya.inspect()
    check("Spring launch" in d.title, "created: the project page")
    project_url = d.current_url.split("?")[0]
    project_path = project_url.replace(BASE, "")

    # The strategy is edited in the same form, prefilled; the KPI rows come back as they were.
    maya.click(maya.driver.find_element(By.LINK_TEXT, t("project.edit_strategy")))
    maya.inspect()
    check(d.find_element(By.ID, "kpi-1-key").get_attribute("value") == "cpa", "the strategy form is prefilled")
    d.find_element(By.ID, "audience").clear()
    d.find_element(By.ID, "audience").send_keys("Urban families in Madrid")
    maya.click(d.find_element(By.CSS_SELECTOR, "button[value=save]"))
    maya.inspect()
    check(t("project.done", action=t("action.update_strategy")) in maya.text()
          and "Urban families in Madrid" in maya.text(),
          "the strategy is updated")

    # Tasks for both agencies, picked from the brand's roster by name, then the brief.
    maya.submit("project-add_task", {"title": "Social campaign", "description": "Reels",
                                     "due_date": "2031-06-30", "fee": "12000"}, select={"agency_id": NORTHWIND})
    # In French the fee is typed with a decimal comma.
    fee = "8000,50" if LANGUAGE == "fr" else "8000.50"
    maya.submit("project-add_task", {"title": "Search ads", "fee": fee}, select={"agency_id": HARBOR})
    check("Social campaign" in maya.text() and "Search ads" in maya.text(), "both tasks on the page")
    maya.submit("project-issue_brief")
    check(t("project.done", action=t("action.issue_brief")) in maya.text(), "the brief is issued")

    # Each agency's inbox now has its offer, and only its own.
    inbox = ali.inbox()
    check("Spring launch" in inbox and t("action.accept") in inbox, "Northwind's inbox shows the offer")
    inbox = bea.inbox()
    check("Spring launch" in inbox and "Search ads" in inbox and "Social campaign" not in inbox,
          "Blue Harbor sees only its task")
    ali.open(project_path)
    check("Search ads" not in ali.text(), "an agency never sees another agency's task")
    check(FORMATS["budget"] in ali.text(), "an agency sees the strategy's budget, as its language writes it")
    task_ids = {a.get_attribute("id")[5:]: a.find_element(By.TAG_NAME, "h3").text
                for a in maya.driver.find_elements(By.CSS_SELECTOR, "article.task")}
    social = next(t for t, title in task_ids.items() if title == "Social campaign")
    search = next(t for t, title in task_ids.items() if title == "Search ads")
    # Each agency's person is told by email and acts from its link, at the task's card.
    check(f"#task-{social}" in ali.follow(subject("offered") + "Social campaign"), "Ali's link names the task")
    ali.submit(f"task-{social}-accept")
    bea.follow(subject("offered") + "Search ads")
    bea.submit(f"task-{search}-decline", {"reason": "No capacity in June"})
    check(not emails(bea.email, "Social campaign"), "Blue Harbor is never told of Northwind's task")

    # The brand sees the decline in its inbox and reassigns the task to Northwind, picked by name.
    inbox = maya.inbox()
    check("Search ads" in inbox and t("action.reassign") in inbox, "the declined task waits on the brand")
    maya.follow(subject("declined") + "Search ads")
    check("No capacity in June" in maya.text(), "the decline reason is shown")
    maya.submit(f"task-{search}-reassign", select={"agency_id": NORTHWIND})
    check(t("inbox.empty") in bea.inbox(), "Blue Harbor's inbox is empty once reassigned")
    ali.follow(subject("offered") + "Search ads")
    ali.submit(f"task-{search}-accept")
    check(t("project.done", action=t("action.accept")) in ali.text(), "Northwind accepts the reassigned task")

    # Delivery, a change request, a second round, approvals.
    ali.submit(f"task-{social}-submit_delivery",
               {"summary": "Six reels and the calendar", "links": "https://files.example/reels\nhttps://files.example/cal"})
    ali.submit(f"task-{search}-submit_delivery", {"summary": "Campaign set up", "links": "https://ads.example/c/1"})
    inbox = maya.inbox()
    check(t("action.approve") in inbox and "Social campaign" in inbox, "deliveries wait on the brand's review")
    maya.readme_shot("console-inbox.png")
    check(t("nav.unread", 2).replace("2 ", "") in norm(maya.source()), "the header counts Maya's unread notifications")
    maya.open("/console/notifications")
    check(t("notice.delivery_submitted") in maya.text(), "the Notifications page lists the review")
    maya.follow(subject("review") + (" : " if LANGUAGE == "fr" else ": ") + "Social campaign")
    # Review: a thread about round 1, an internal note the agency never sees, the agency's reply.
    maya.submit(f"comment-{social}-new", {"body": "The **hook** comes too late in reel 3, @Ali Benali"},
                select={"round": t("review.round", n=1)})
    maya.form(f"comment-{social}-new").find_element(By.CSS_SELECTOR, "input[name='internal']").click()
    maya.submit(f"comment-{social}-new", {"body": "Internal: the CFO wants this live by Friday, @Ali Benali"})
    check(t("review.about_round", n=1) in maya.text() and t("review.internal_badge") in maya.text(),
          "the brand reads its thread and its note")
    ali.follow(subject("mention", who="Maya Dupont"))
    check("The hook comes too late" in ali.text() and "<strong>hook</strong>" in ali.source(),
          "the agency reads the brand's thread, its **bold** rendered")
    check("CFO" not in ali.source(), "the agency never sees the internal note")
    reply = ali.driver.find_element(By.CSS_SELECTOR, f"form[id^='form-comment-{social}-']:not([id$='-new'])")
    ali.submit(reply.get_attribute("id").removeprefix("form-"), {"body": "Moved it to the first second"})
    check("Moved it to the first second" in ali.text(), "the agency's reply is on the thread")
    maya.open(project_path)
    maya.submit(f"task-{social}-request_changes", {"note": "Add Spanish subtitles"})
    maya.submit(f"task-{search}-approve")
    inbox = ali.inbox()
    check("Social campaign" in inbox and t("action.submit_delivery") in inbox, "the change request waits on the agency")
    ali.follow(subject("changes") + "Social campaign")
    check("Add Spanish subtitles" in ali.text(), "the agency reads the change note")
    ali.submit(f"task-{social}-submit_delivery", {"summary": "Subtitled", "links": "https://files.example/reels-es"})
    maya.open(project_path)
    check(t("review.round", n=2) in maya.text(), "the second round is listed")
    maya.submit(f"task-{social}-approve")

    # KPI review, results with spend and revenue, close: the outcome with ROI and the chart.
    inbox = maya.inbox()
    check(t("action.start_kpi_review") in inbox, "the project waits on the brand's KPI review")
    # Maya approved, so she is not told what her own act made wait on her; Ana, the brand's admin, is.
    check(not emails(maya.email, subject("project")), "nobody is told of their own act")
    check(project_path in email_link(ana.email, subject("project"), "/console/projects/"),
          "the brand's admin is told the project waits on the brand")
    maya.open(project_path)
    maya.submit("project-start_kpi_review")
    maya.submit("project-record_kpi_results",
                {"results.signups": "1250", "results.cpa": "35,5" if LANGUAGE == "fr" else "35.5", "spend": "42000",
                 "revenue": "96 000" if LANGUAGE == "fr" else "96,000"})
    maya.submit("project-close")
    text = maya.text()
    check(t("project.outcome") in text and "ROI" in text and FORMATS["roi"] in text,
          f"the outcome with ROI: {text[:400]!r}")
    check(len(maya.driver.find_elements(By.CSS_SELECTOR, "figure.chart svg rect.bar")) >= 4, "the KPI chart is drawn")
    maya.readme_shot("console-project.png")
    # Every decision is signed: the timeline names the person and their organization, never an email.
    check(f"Maya Dupont · {BRAND}" in text and f"Ali Benali · {NORTHWIND}" in text
          and f"Bea Costa · {HARBOR}" in text, "the timeline names each person with their organization")
    check("@northwind.example" not in text and "@harbor.example" not in text, "no agency person's email")

    # An agency never sees the brand's economics, on any page.
    for path in (project_path, "/console", "/console/projects", "/console/agencies"):
        ali.open(path)
        for secret in ("ROI", *FORMATS["amounts"], t("project.revenue"), t("project.spend"),
                       t("agencies.rate.kpi_hit_rate")):
            check(secret not in ali.text(), f"Northwind sees {secret!r} on {path}")
    bea.open(project_path, status=404)
    check("Search ads" not in bea.text() and "Social campaign" not in bea.text(),
          "Blue Harbor no longer sees the project once its declined task went to another agency")

    # The scorecard, its CSV, its chart; the projects board; the webhooks page.
    maya.open("/console/agencies")
    text = maya.text()
    check(NORTHWIND in text and HARBOR in text, "both agencies on the scorecard")
    check(len(maya.driver.find_elements(By.CSS_SELECTOR, "figure.chart svg")) == 1, "the on-time chart")
    csv_link = maya.driver.find_element(By.LINK_TEXT, t("common.download_csv")).get_attribute("href")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in maya.driver.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(csv_link, headers={"Cookie": cookie})) as r:
        body = r.read().decode()
        check(r.headers["Content-Disposition"].startswith("attachment;"), "the CSV is a download")
        check(body.startswith("agency_id,agency_name,tasks_issued"),
              "the CSV has its header, in English in any language")
    maya.open("/console/projects")
    closed = t("state.closed")
    heading = norm(maya.driver.find_element(By.ID, "col-closed").text)
    check(heading == f"{closed[0].upper()}{closed[1:]} 1", f"the board counts the closed project: {heading!r}")
    maya.open("/console/projects?state=closed")
    check("Spring launch" in maya.text(), "the closed filter lists the project")
    ana.open("/console/webhooks")
    check("http://127.0.0.1:9/hooks" in ana.text() and t("webhooks.recent") in ana.text(),
          "the endpoint and its deliveries")
    ana.open("/console/profile")
    check(ana.email in ana.text(), "the profile names who is signed in")

    # No agency's email carries the brand's economics or its internal note; each person got mail for their steps.
    for person in (ali, bea):
        for m in emails(person.email):
            for secret in ("CFO", "50,000", "50 000", "12,000", "12 000", "ROI", "budget", "Budget"):
                check(secret not in norm(m["text"]) and secret not in norm(m["html"] or ""),
                      f"{person.name}'s email {m['headers'].get('subject')!r} says {secret!r}")
    check(len(emails(ali.email, subject("mention", who="Maya Dupont"))) == 1,
          "the internal note's mention never reached Ali")

    # The viewer forgot their password: the sign-in page's link, the email, a new password, signed in with it.
    viewer.sign_out()
    viewer.click(viewer.driver.find_element(By.LINK_TEXT, t("signin.forgot")))
    viewer.inspect()
    viewer.driver.find_element(By.ID, "email").send_keys(viewer.email)
    viewer.click(viewer.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    viewer.inspect()
    check(t("reset.sent") in viewer.text(), "the reset is on its way")
    viewer.follow(subject("reset"), "/console/password-reset/", unsubscribe=False)
    viewer.driver.find_element(By.ID, "password").send_keys("another long password")
    viewer.click(viewer.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    viewer.inspect()
    check(t("signin.password_changed") in viewer.text(), "the new password is set")
    viewer.driver.find_element(By.ID, "email").send_keys(viewer.email)
    viewer.driver.find_element(By.ID, "password").send_keys("another long password")
    viewer.click(viewer.driver.find_element(By.CSS_SELECTOR, "form[action='/console/login'] button"))
    viewer.inspect()
    check(t("inbox.title") in viewer.driver.title, "signed in with the new password")

    # A viewer sees the project and no buttons.
    viewer.open(project_path)
    check(not viewer.driver.find_elements(By.CSS_SELECTOR, "main form"), "a viewer sees no buttons")
    viewer.open("/console/projects")
    check(not viewer.driver.find_elements(By.LINK_TEXT, t("projects.new")), "a viewer cannot open projects")

    # Markup in a title is text.
    created = api("POST", "/v1/projects", brand_admin, {"title": "<script>alert(1)</script>", "strategy": {
        "objectives": ["x"], "audience": "a", "channels": [], "budget": {"amount_minor": 1, "currency": "EUR"},
        "kpis": [{"key": "k", "name": "K", "target": 1, "unit": "", "comparator": "gte"}]}})
    maya.open(f"/console/projects/{created['id']}")
    check("<script>alert(1)</script>" in maya.text(), "the title shows as typed")
    check("&lt;script&gt;" in maya.source() and "<script>" not in maya.source(), "and is escaped in the page")

    # A phone: nothing scrolls sideways.
    maya.driver.set_window_size(390, 844)
    for path in ("/console", project_path, "/console/projects", "/console/agencies", "/console/projects/new",
                 "/console/roster", "/console/profile"):
        maya.open(path)
        width = maya.driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= 390, f"{path} is {width} px wide on a 390-px phone")
    maya.driver.set_window_size(1280, 900)

    # Error pages: an unknown project, a stale form (409 with what is allowed now).
    maya.open("/console/projects/00000000-0000-0000-0000-000000000000", status=404)
    check(t("error.title.not_found") in maya.driver.title, "a clear 404 page")

    # Sign-out ends the session: the next page is the sign-in form, saying so.
    ali.open("/console")
    ali.click(ali.driver.find_element(By.CSS_SELECTOR, "form[action='/console/logout'] button"))
    ali.inspect()
    check(t("signin.title") in ali.driver.title, "signed out")
    ali.open(project_path, status=401)
    check(t("signin.title") in ali.driver.title, "a signed-out session gets the sign-in page")
    print(f"console walk-through ({LANGUAGE}): {checks} checks passed, "
          f"{sum(p.shots for p in people)} screenshots in {SCREENS}")
finally:
    for p in people:
        p.quit()
