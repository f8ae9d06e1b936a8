"""Demo duties, topics and outcomes, written by `seed_demo` after the batches and placements.

The outcome figures are those article 002 reported in February 2021 for both programmes: 400+
suggestions (here 412), 100+ institutional outcomes (106, of which 53 after Shenzhen's first two
batches, "50+" in article 003), and 76 signed projects worth 906.38 亿元 in all. They are spread
over the batches that had set out by then; titles, counterparts and amounts are invented.
Deterministic (a fixed seed) and fast (bulk inserts only).

The example batch SZ-6, in its term, has the programme's duties recorded up to yesterday: most
cadres on track, a few behind (BEHIND_SHARE missed some days, LAGGING_SHARE stopped logging
halfway). Its entries come from a random generator of their own, so the published batches'
rows do not depend on the day the demo is built.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from cadreprog.history import history_baseline
from cohorts.models import Batch
from cohorts.terms import today
from ledger.models import Duty, ProgressEntry, Project, Suggestion, Topic

SEED = 20210221  # the day article 002 was printed
REPORTED_ON = date(2021, 2, 21)

EVERY_CADRE = [  # DOMAIN.md, "Duties during the term"
    ("学习日志", Duty.Cadence.DAILY, 1),
    ("学习心得", Duty.Cadence.WEEKLY, 1),
    ("周末实地调研", Duty.Cadence.WEEKEND, 1),
    ("实训报告", Duty.Cadence.BY_END, 1),
]
SH5_MUST_DOS = [  # 九个必做
    ("红色教育", 5),
    ("集体调研", 10),
    ("推介活动", 10),
    ("走访企业", 20),
    ("走访商协会", 5),
    ("结识专业人才", 100),
    ("金点子", 1),
    ("调研报告", 1),
    ("市场化项目", 1),
]
# batch code → (suggestions, of which institutional outcomes, projects)
OUTCOMES = {
    "SZ-1": (70, 27, 12),
    "SZ-2": (68, 26, 12),
    "SZ-3": (66, 17, 13),
    "SZ-4": (64, 14, 12),
    "SZ-5": (60, 0, 9),
    "SH-1": (44, 12, 9),
    "SH-2": (40, 10, 9),
}
TOTAL_INVESTMENT = Decimal("906.38")
SUBJECTS = ["营商环境", "政务服务", "招商引资", "金融服务实体经济", "科技成果转化", "人才引进",
            "产业链招商", "民营经济", "城市更新", "口岸通关", "数字经济", "海洋经济", "双招双引",
            "审批流程", "国资国企改革", "基金招商", "会展经济", "创新创业"]  # fmt: skip
ACTIONS = ["优化", "完善", "推进", "借鉴深圳经验推进", "借鉴上海经验加强", "建立健全"]
INDUSTRIES = ["智能制造", "新能源汽车", "生物医药", "集成电路", "供应链金融", "跨境电商",
              "海洋装备", "新一代信息技术", "文化创意", "现代物流"]  # fmt: skip
COUNTERPARTS = ["科技", "投资", "控股", "产业", "实业", "资本"]
TOPICS_SH5 = 16  # "16+N" key topics
LIVE_BATCH = "SZ-6"
BEHIND_SHARE = 0.08  # missed a few daily logs and a weekly reflection
LAGGING_SHARE = 0.03  # stopped recording a while ago


def seed(batches: list[Batch], placements) -> None:
    rng = random.Random(SEED)
    by_code = {b.code: b for b in batches}
    in_batch = {}
    for p in placements:
        in_batch.setdefault(p.batch.code, []).append(p)
    duties = _duties(batches, by_code, in_batch, rng)
    if LIVE_BATCH in by_code:
        live = by_code[LIVE_BATCH]
        shared = [d for d in duties if d.programme_id == live.programme_id]
        _live_progress(live, in_batch[LIVE_BATCH], shared, random.Random(SEED + 6))
    _topics(by_code["SH-5"], in_batch["SH-5"], rng)
    _outcomes(by_code, in_batch, rng)


def _duties(batches, by_code, in_batch, rng):
    programmes = {b.programme_id: b.programme for b in batches}
    duties = [
        Duty(programme=programme, name=name, cadence=cadence, target=target, order=i)
        for programme in programmes.values()
        for i, (name, cadence, target) in enumerate(EVERY_CADRE)
    ]
    sh5 = by_code["SH-5"]
    must_dos = [
        Duty(batch=sh5, name=name, cadence=cadence, target=target, order=i)
        for i, (name, cadence, target) in enumerate(EVERY_CADRE)
    ] + [
        Duty(batch=sh5, name=name, cadence=Duty.Cadence.COUNTED, target=target, order=10 + i)
        for i, (name, target) in enumerate(SH5_MUST_DOS)
    ]
    Duty.objects.bulk_create(duties + must_dos)
    # Shanghai batch 5's must-dos, recorded in two or three entries a cadre; most reach the target.
    term = sh5.term
    entries = []
    for p in in_batch["SH-5"]:
        for duty in must_dos[len(EVERY_CADRE) :]:
            reached = duty.target if rng.random() < 0.8 else rng.randint(0, duty.target - 1)
            parts = min(reached, rng.randint(1, 3))
            for k in range(parts):
                count = reached // parts + (1 if k < reached % parts else 0)
                day = term.start + timedelta(days=rng.randrange(term.days))
                entries.append(ProgressEntry(placement=p, duty=duty, date=day, count=count))
    ProgressEntry.objects.bulk_create(entries)
    return duties


def _live_progress(batch, placements, duties, rng) -> None:
    """Entries of a batch in its term for each duty done per period, every period ended by
    yesterday: what most cadres have; a few miss some, a few stopped logging halfway."""
    term, yesterday = batch.term, today() - timedelta(days=1)
    days = [term.start + timedelta(days=n) for n in range((yesterday - term.start).days + 1)]
    entries = []
    for p in placements:
        luck = rng.random()
        stop = days[len(days) // 2] if luck < LAGGING_SHARE else None
        missed = (
            set(rng.sample(days, 3))
            if LAGGING_SHARE <= luck < LAGGING_SHARE + BEHIND_SHARE
            else set()
        )
        for duty in duties:
            if not duty.per_period:
                continue  # the report is due at the term's end
            periods = {}
            for day in days:
                period = duty.period_of(term, day)
                if period is not None and duty.periods_by(term, yesterday) > period:
                    periods[period] = day  # recorded on the period's last day
            for day in periods.values():
                if day in missed or (stop and day > stop):
                    continue
                entries.append(ProgressEntry(placement=p, duty=duty, date=day, count=duty.target))
    ProgressEntry.objects.bulk_create(entries)


def _topics(batch, placements, rng) -> list[Topic]:
    states = list(Topic.State)[1:]
    topics = []
    for i in range(TOPICS_SH5):
        state = states[i % len(states)]
        index = states.index(state)
        topic = Topic(
            batch=batch,
            title=f"{rng.choice(ACTIONS)}{SUBJECTS[i % len(SUBJECTS)]}研究",
            question=f"青岛如何{rng.choice(ACTIONS)}{SUBJECTS[i % len(SUBJECTS)]}？",
            capacity=5,
            state=state,
        )
        end = batch.term.end
        if index >= 1:
            topic.defence_date = batch.term.start + timedelta(days=50)
            topic.defence_score = rng.randint(70, 98)
            topic.defence_comments = "思路清晰，建议结合青岛实际细化措施。"
        if index >= 2:
            topic.report_date = end - timedelta(days=3)
            topic.report_text = f"{topic.title}报告（示例）"
        for later, field in Topic.STATE_DATES.items():
            if index >= states.index(later):
                setattr(topic, field, end + timedelta(days=30 * (states.index(later) - 2)))
        topics.append(topic)
    Topic.objects.bulk_create(topics)
    Claim = Topic.claimants.through
    claims, pool = [], list(placements)
    rng.shuffle(pool)
    for i, topic in enumerate(topics):
        claims += [Claim(topic=topic, placement=p) for p in pool[i * 5 : i * 5 + rng.randint(1, 5)]]
    Claim.objects.bulk_create(claims)
    history_baseline(Topic, topics)  # claimants included: a first edit shows before → after
    return topics


def _outcomes(by_code, in_batch, rng, outcomes=OUTCOMES):
    amounts = _amounts(sum(n for _s, _i, n in outcomes.values()), rng)
    suggestions, projects, suggestion_credits, project_credits = [], [], [], []
    for code, (n_suggestions, n_institutional, n_projects) in outcomes.items():
        batch, people = by_code[code], in_batch[code]
        term = batch.term
        for i in range(n_suggestions):
            institutional = i < n_institutional
            submitted = term.start + timedelta(days=rng.randrange(term.days))
            adopted = min(term.end + timedelta(days=rng.randint(20, 90)), REPORTED_ON)
            credited = rng.sample(people, rng.randint(1, 3))
            suggestions.append(
                Suggestion(
                    batch=batch,
                    title=f"关于{rng.choice(ACTIONS)}{rng.choice(SUBJECTS)}的建议",
                    submitted_on=submitted,
                    institutional=institutional,
                    adopted_on=adopted if institutional else None,
                    host_unit=credited[0].host_unit,
                )
            )
            suggestion_credits.append(credited)
        for _i in range(n_projects):
            industry = rng.choice(INDUSTRIES)
            credited = rng.sample(people, rng.randint(1, 2))
            projects.append(
                Project(
                    batch=batch,
                    name=f"{industry}项目",
                    counterpart=f"{batch.programme.city}{rng.choice(SUBJECTS)[:2]}"
                    f"{rng.choice(COUNTERPARTS)}有限公司",
                    signed_on=term.start + timedelta(days=rng.randrange(term.days)),
                    investment=amounts.pop(),
                    host_unit=credited[0].host_unit,
                )
            )
            project_credits.append(credited)
    Suggestion.objects.bulk_create(suggestions)
    Project.objects.bulk_create(projects)
    SuggestionCredit, ProjectCredit = Suggestion.credited.through, Project.credited.through
    SuggestionCredit.objects.bulk_create(
        SuggestionCredit(suggestion=outcome, placement=p)
        for outcome, credited in zip(suggestions, suggestion_credits, strict=True)
        for p in credited
    )
    ProjectCredit.objects.bulk_create(
        ProjectCredit(project=outcome, placement=p)
        for outcome, credited in zip(projects, project_credits, strict=True)
        for p in credited
    )


def _amounts(count: int, rng) -> list[Decimal]:
    """`count` investments in 亿元 that add up to exactly TOTAL_INVESTMENT."""
    cents = int(TOTAL_INVESTMENT * 100)
    weights = [rng.lognormvariate(0, 0.9) for _ in range(count)]
    shares = [int(cents * w / sum(weights)) for w in weights]
    shares[shares.index(max(shares))] += cents - sum(shares)
    return [Decimal(s) / 100 for s in shares]
