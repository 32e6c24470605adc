"""Fill PostgreSQL with many realistic bilingual listings, for ``bench/search.py``.

Unlike ``seed_demo`` this does not go through the services: 100k listings one by one would
take hours. Rows are generated from the per-field Chinese and English phrase banks of
``marketplace/demo/bench_vocabulary.py`` with a seeded ``random.Random`` (same seed, same
texts), written with ``bulk_create``, then indexed in bulk with ``listings_reindex``, the
function the services and ``reindex_listings`` use.

Bench organisations are marked by their website host (``*.bench.invalid``), so that
``--clear`` removes them and their listings and nothing else.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.choices import OrganizationKind
from accounts.models import Organization
from marketplace.demo import bench_vocabulary as vocab
from marketplace.listings.choices import IPStatus, ListingStatus
from marketplace.listings.indexing import listings_embed_stale, listings_reindex
from marketplace.listings.models import Achievement, Challenge, TechnicalField
from marketplace.text.analysis import index_text

BENCH_HOST = "bench.invalid"
BATCH = 2000  # rows per bulk_create and per indexing task
S = ListingStatus


def _weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- Generation -------------------------------------------------------------------------------


class Generator:
    """Deterministic listing texts and attributes; one instance per run."""

    def __init__(self, seed: int, fields: list[TechnicalField]) -> None:
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.children: dict[str, list[TechnicalField]] = {}
        for field in fields:
            if field.parent_id is not None:
                self.children.setdefault(field.parent.code, []).append(field)
        missing = set(vocab.FIELD_WEIGHTS) - set(self.children)
        if missing:
            raise CommandError(f"Technical fields missing ({', '.join(sorted(missing))}).")

    def _fill(self, template: str, bank: vocab.Bank, zh: bool) -> str:
        r = self.rng
        terms, objects, uses = (
            (bank.zh_terms, bank.zh_objects, bank.zh_uses)
            if zh
            else (bank.en_terms, bank.en_objects, bank.en_uses)
        )
        t, t2 = r.sample(terms, 2)
        u, u2 = r.sample(uses, 2)
        a = r.choice(vocab.ZH_ADJ if zh else vocab.EN_ADJ)
        k = r.randint(2, 12)
        values = {
            "t": t,
            "t2": t2,
            "T": t if t[1:2].isupper() else t[:1].upper() + t[1:],  # eVTOL stays eVTOL
            "o": r.choice(objects),
            "u": u,
            "u2": u2,
            "a": a if zh else a.lower(),
            "A": a,
            "a2": r.choice(vocab.EN_ADJ).lower(),
            "p": r.choice(vocab.ZH_PROBLEMS if zh else vocab.EN_PROBLEMS),
            "s": r.choice(vocab.ZH_SCALES if zh else vocab.EN_SCALES),
            "n": r.randint(2, 15),
            "k": k,
            "j": r.randint(1, k),  # granted patents among those filed
            "pct": r.choice((15, 20, 30, 35, 40, 50, 60, 80)),
        }
        return template.format(**values)

    def _texts(self, bank: vocab.Bank, zh: bool, achievement: bool) -> dict[str, object]:
        r = self.rng
        if zh:
            titles = vocab.ZH_ACH_TITLES if achievement else vocab.ZH_CH_TITLES
            sentences = vocab.ZH_ACH_SENTENCES if achievement else vocab.ZH_CH_SENTENCES
            joiner = ""
        else:
            titles = vocab.EN_ACH_TITLES if achievement else vocab.EN_CH_TITLES
            sentences = vocab.EN_ACH_SENTENCES if achievement else vocab.EN_CH_SENTENCES
            joiner = " "
        title = ""
        while len(title) < (10 if zh else 20):  # real titles are 10-40 Chinese characters
            title = self._fill(r.choice(titles), bank, zh)
        title = title[:40] if zh else title[:120]
        summary = joiner.join(self._fill(s, bank, zh) for s in r.sample(sentences, r.randint(1, 2)))
        description = joiner.join(
            self._fill(s, bank, zh)
            for s in r.sample(sentences, min(len(sentences), r.randint(4, 8)))
        )
        terms = bank.zh_terms if zh else bank.en_terms
        keywords = r.sample(terms, r.randint(3, 6))
        return {
            "title": title,
            "summary": summary,
            "description": description,
            "keywords": keywords,
        }

    def _common(self, org: Organization, achievement: bool) -> tuple[dict, list[int], str]:
        """Shared attributes, the field ids and the status of one listing."""
        r = self.rng
        top = _weighted(r, vocab.FIELD_WEIGHTS)
        zh = r.random() < 0.7
        data = self._texts(vocab.BANKS[top], zh, achievement)
        fields = r.sample(self.children[top], r.choice((1, 1, 2, 2, 2, 3)))
        if r.random() < 0.25:  # a second, neighbouring field
            other = _weighted(r, vocab.FIELD_WEIGHTS)
            fields.append(r.choice(self.children[other]))
        field_ids = sorted({f.pk for f in fields})
        status = _weighted(r, vocab.STATUS_WEIGHTS)
        published = self.now - timedelta(minutes=r.randint(60, 730 * 24 * 60))
        submitted = published - timedelta(hours=r.randint(2, 96))
        data.update(
            organization=org,
            region=org.region if r.random() < 0.9 else _weighted(r, vocab.REGION_WEIGHTS),
            status=status,
            submitted_at=None if status == S.DRAFT else submitted,
            reviewed_at=published if status not in (S.DRAFT, S.PENDING) else None,
            published_at=published if status in (S.PUBLISHED, S.ARCHIVED, S.EXPIRED) else None,
            rejection_reason=vocab.REJECTION_REASON if status == S.REJECTED else "",
        )
        return data, field_ids, status

    def _modes(self) -> list[str]:
        modes = {_weighted(self.rng, vocab.MODE_WEIGHTS) for _ in range(self.rng.randint(1, 3))}
        return sorted(modes)

    def achievement(self, org: Organization) -> tuple[Achievement, list[int]]:
        r = self.rng
        data, field_ids, status = self._common(org, achievement=True)
        ip = _weighted(r, vocab.IP_WEIGHTS)
        patents = ""
        if ip in (IPStatus.INVENTION_GRANTED, IPStatus.INVENTION_PENDING):
            suffix = "B" if ip == IPStatus.INVENTION_GRANTED else "A"
            patents = ", ".join(
                f"CN{r.randint(113000000, 119999999)}{suffix}" for _ in range(r.randint(1, 3))
            )
        negotiable = r.random() < 0.6
        price = (
            None if negotiable else Decimal(r.choice((5, 10, 20, 50, 80, 100, 200, 500))) * 10_000
        )
        if status == S.EXPIRED:
            expires = self.now - timedelta(days=r.randint(1, 60))
        else:
            expires = self.now + timedelta(days=r.randint(30, 700))
        listing = Achievement(
            **data,
            trl=r.choices(range(1, 10), weights=vocab.TRL_WEIGHTS)[0],
            ip_status=ip,
            patent_numbers=patents,
            transaction_modes=self._modes(),
            price_negotiable=negotiable,
            asking_price=price,
            team="课题组：教授 1 名、副教授 2 名、博士研究生 6 名。",
            contact_name="技术转移办公室",
            contact_email=f"tto@{org.website.removeprefix('https://')}",
            expires_at=expires,
        )
        return listing, field_ids

    def challenge(self, org: Organization) -> tuple[Challenge, list[int]]:
        r = self.rng
        data, field_ids, status = self._common(org, achievement=False)
        budget_min = budget_max = None
        if r.random() < 0.8:
            budget_min = Decimal(r.choice((10, 20, 50, 100, 200))) * 10_000
            budget_max = budget_min * r.choice((1, 2, 3, 5))
        deadline: date = self.today + timedelta(days=r.randint(14, 365))
        if status == S.EXPIRED:
            deadline = self.today - timedelta(days=r.randint(1, 60))
        listing = Challenge(
            **data,
            confidential_details="现有工艺参数与供应商信息，仅对签署保密协议的合作方开放。",
            budget_min=budget_min,
            budget_max=budget_max,
            deadline=deadline,
            cooperation_modes=self._modes(),
            min_trl=None if r.random() < 0.3 else r.randint(3, 8),
        )
        return listing, field_ids


# --- Writing ----------------------------------------------------------------------------------


def _index_chunk(task: tuple[str, list[int]]) -> int:
    """Runs in a worker process: index one chunk of listings (jieba is the slow part), and
    give it the embedding of the stand-in model: a hashed bag of its terms (settings'
    ``EMBEDDING_MODEL=terms``), deterministic, with listings of a topic near each other, in
    seconds instead of the days the real model would take for 120k texts (bench/README.md)."""
    model = Achievement if task[0] == "achievement" else Challenge
    done = listings_reindex(model, task[1])
    with override_settings(EMBEDDING_MODEL="terms"):
        listings_embed_stale(model, ids=task[1], batch=500)
    return done


class Command(BaseCommand):
    help = "Fill PostgreSQL with many realistic bilingual listings for bench/search.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--achievements", type=int, default=100_000)
        parser.add_argument("--challenges", type=int, default=20_000)
        parser.add_argument("--organizations", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--workers", type=int, default=2, help="processes that segment text")
        parser.add_argument(
            "--clear", action="store_true", help="delete earlier bench organisations and listings"
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="do nothing when the database holds as many listings already",
        )

    def handle(self, *args, **options) -> None:
        if options["once"]:
            have = (Achievement.objects.count(), Challenge.objects.count())
            if have >= (options["achievements"], options["challenges"]):
                self.stdout.write(
                    f"Bench data present ({have[0]} achievements, {have[1]} challenges); "
                    "nothing to do."
                )
                return
        if min(options["achievements"], options["challenges"], options["organizations"]) < 0:
            raise CommandError("Counts cannot be negative.")
        started = time.monotonic()
        self.started = started
        if options["clear"]:
            self._clear()
        fields = list(TechnicalField.objects.select_related("parent"))
        gen = Generator(options["seed"], fields)
        orgs = self._organizations(gen.rng, options["organizations"], gen.now)
        universities = [o for o in orgs if o.kind != OrganizationKind.ENTERPRISE]
        enterprises = [o for o in orgs if o.kind == OrganizationKind.ENTERPRISE]

        new_ids = {
            Achievement: self._insert(
                Achievement,
                options["achievements"],
                lambda: gen.achievement(gen.rng.choice(universities)),
            ),
            Challenge: self._insert(
                Challenge, options["challenges"], lambda: gen.challenge(gen.rng.choice(enterprises))
            ),
        }
        self._backdate(new_ids)
        self._index(new_ids, options["workers"])
        self._log("VACUUM ANALYZE")
        with connection.cursor() as cursor:
            for model in (Achievement, Challenge, Organization):
                # Visibility map and statistics as on a database autovacuum has been through.
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
                if model is not Organization:
                    cursor.execute(f"VACUUM ANALYZE {model.fields.through._meta.db_table}")
        for model in (Achievement, Challenge):
            counts = {s: model.objects.filter(status=s).count() for s in (S.PUBLISHED, S.DRAFT)}
            self._log(
                f"{model.__name__}s: {model.objects.count()} in the database, "
                f"{counts[S.PUBLISHED]} published"
            )
        self._log(f"done in {time.monotonic() - started:.0f} s")

    def _log(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f} s] {message}")
        self.stdout.flush()

    def _clear(self) -> None:
        bench = Organization.objects.filter(website__endswith=f".{BENCH_HOST}")
        for model in (Achievement, Challenge):
            deleted, _ = model.objects.filter(organization__in=bench).delete()
            self._log(f"--clear: {deleted} {model.__name__}s and related rows deleted")
        deleted, _ = bench.delete()
        self._log(f"--clear: {deleted} organisations deleted")

    def _organizations(self, rng: random.Random, count: int, now: datetime) -> list[Organization]:
        """Reuse the bench organisations there are and create the missing ones (all verified)."""
        existing = list(
            Organization.objects.filter(website__endswith=f".{BENCH_HOST}").order_by("pk")
        )
        taken = {name.lower() for name in Organization.objects.values_list("name", flat=True)}
        new = []
        index = len(existing)
        # Most are universities and enterprises; every tenth a transfer centre.
        kinds = [OrganizationKind.UNIVERSITY, OrganizationKind.ENTERPRISE] * 9 + [
            OrganizationKind.TRANSFER_CENTRE
        ]
        attempts = 0
        while len(existing) + len(new) < count and attempts < count * 50:
            attempts += 1
            kind = kinds[index % len(kinds)]
            region = _weighted(rng, vocab.REGION_WEIGHTS)
            city_zh, city_en = vocab.REGION_CITY[region]
            (s1, e1), (s2, e2) = rng.sample(vocab.ORG_STEMS, 2)
            suffix_zh, suffix_en = rng.choice(vocab.ORG_KIND_NAMES[kind])
            name = f"{city_zh}{s1}{s2}{suffix_zh}"
            if name.lower() in taken:
                continue
            taken.add(name.lower())
            new.append(
                Organization(
                    kind=kind,
                    name=name,
                    name_en=f"{city_en} {e1}{e2.lower()} {suffix_en}",
                    region=region,
                    website=f"https://org{index}.{BENCH_HOST}",
                    description="基准测试数据。Benchmark data.",
                    is_verified=True,
                    verified_at=now - timedelta(days=rng.randint(30, 900)),
                )
            )
            index += 1
        Organization.objects.bulk_create(new, batch_size=BATCH)
        orgs = existing + new
        if not any(o.kind != OrganizationKind.ENTERPRISE for o in orgs) or not any(
            o.kind == OrganizationKind.ENTERPRISE for o in orgs
        ):
            raise CommandError(
                "Need at least one university and one enterprise; raise --organizations."
            )
        self._log(f"organisations: {len(existing)} reused, {len(new)} created")
        return orgs

    def _insert(self, model, count: int, make) -> list[int]:
        """Create ``count`` listings and their field links in batches; return their ids."""
        through = model.fields.through
        link = f"{model._meta.model_name}_id"
        ids: list[int] = []
        for start in range(0, count, BATCH):
            pairs = [make() for _ in range(min(BATCH, count - start))]
            with transaction.atomic():
                listings = model.objects.bulk_create([p[0] for p in pairs], batch_size=BATCH)
                links = [
                    through(**{link: listing.pk, "technicalfield_id": field_id})
                    for listing, (_, field_ids) in zip(listings, pairs, strict=True)
                    for field_id in field_ids
                ]
                through.objects.bulk_create(links, batch_size=BATCH)
            ids.extend(listing.pk for listing in listings)
            if (start // BATCH) % 10 == 9 or start + BATCH >= count:
                self._log(f"{model.__name__}s: {len(ids)}/{count} inserted")
        return ids

    def _backdate(self, new_ids: dict) -> None:
        """``created_at``/``updated_at`` are set to now by bulk_create; move them to the story."""
        with connection.cursor() as cursor:
            for model, ids in new_ids.items():
                if not ids:
                    continue
                cursor.execute(
                    f"UPDATE {model._meta.db_table} SET "  # noqa: S608 - table name from the model
                    "created_at = COALESCE(submitted_at, created_at) - (1 + id %% 20) * interval '1 day', "
                    "updated_at = COALESCE(published_at, submitted_at, created_at) "
                    "WHERE id = ANY(%s)",
                    [ids],
                )
        self._log("timestamps backdated")

    def _index(self, new_ids: dict, workers: int) -> None:
        """Search vectors via ``listings_reindex``, chunks spread over worker processes."""
        tasks = [
            (model._meta.model_name, ids[i : i + BATCH])
            for model, ids in new_ids.items()
            for i in range(0, len(ids), BATCH)
        ]
        total = sum(len(ids) for ids in new_ids.values())
        if workers <= 1:
            self._report_index(map(_index_chunk, tasks), total)
            return
        index_text("预热 jieba warm-up")  # load the dictionary once, before forking
        connections.close_all()  # each worker opens its own connection
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            self._report_index(pool.imap_unordered(_index_chunk, tasks), total)

    def _report_index(self, results, total: int) -> None:
        done = 0
        step = max(total // 10, 1)
        next_report = step
        for n in results:
            done += n
            if done >= next_report or done == total:
                self._log(f"search vectors: {done}/{total}")
                next_report += step
