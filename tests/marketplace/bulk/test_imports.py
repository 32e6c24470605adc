"""Imports of listings from spreadsheets: the check by row and column, all or nothing."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from marketplace.bulk.columns import COLUMNS
from marketplace.bulk.models import ImportBatch, ImportStatus
from marketplace.listings.models import Achievement, Challenge
from marketplace.refusals import Refused

ACHIEVEMENT_HEADERS = [c.header for c in COLUMNS["achievement"]]


def achievement_row(n: int, **cells: str) -> dict[str, str]:
    row = {
        "成果名称 / Title": f"钙钛矿太阳电池封装 {n}",
        "Summary": "A flexible encapsulation that keeps perovskite cells stable for 2,000 h.",
        "成果详细介绍": "详细介绍 " * 20,
        "技术领域": "ic-lithography",
        "关键词": "钙钛矿, encapsulation",
        "Region": "Zhejiang",
        "TRL": "",
        "技术成熟度(TRL 1–9) / Maturity (TRL 1–9)": "6",
        "知识产权状态 / IP status": "发明专利已授权",
        "专利号或申请号": "CN114000000A",
        "交易方式 / Transaction modes": "许可, transfer",
        "价格面议 / Price negotiable": "是",
    }
    row.pop("TRL")
    row.update(cells)
    return row


def csv_file(rows: list[dict[str, str]], name: str = "achievements.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    headers = list(dict.fromkeys(h for row in rows for h in row))
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, ("\ufeff" + buffer.getvalue()).encode(), "text/csv")


def upload(client, file, kind="achievement"):
    return client.post(reverse("bulk:import_list"), {"kind": kind, "file": file})


@pytest.fixture
def owner(client_for, uni_user):
    return client_for(uni_user)


def test_a_correct_file_is_checked_in_steps_then_imported_as_drafts(
    owner, uni_user, run_work, settings
):
    settings.IMPORT_CHUNK_ROWS = 2
    rows = [achievement_row(n) for n in range(5)]
    response = run_work(lambda: upload(owner, csv_file(rows)))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert (batch.status, batch.validated, batch.errors) == (ImportStatus.READY, 5, [])
    assert not Achievement.objects.exists()  # checked, not imported yet

    page = owner.get(batch.get_absolute_url())
    assert "Import 5 listings" in page.content.decode()

    run_work(lambda: owner.post(reverse("bulk:import_confirm", args=[batch.pk]), {}))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    imported = Achievement.objects.filter(pk__in=batch.created_ids).order_by("pk")
    assert [a.title for a in imported] == [f"钙钛矿太阳电池封装 {n}" for n in range(5)]
    first = imported[0]
    assert (first.status, first.organization, first.created_by) == (
        "draft",
        uni_user.membership.organization,
        uni_user,
    )
    assert (first.trl, first.ip_status, first.region) == (6, "invention_granted", "zhejiang")
    assert sorted(first.transaction_modes) == ["licence", "transfer"]
    assert first.keywords == ["钙钛矿", "encapsulation"] and first.price_negotiable
    assert [f.code for f in first.fields.all()] == ["ic-lithography"]


def test_submit_for_review_sends_every_imported_listing_to_the_moderators(owner, run_work):
    run_work(lambda: upload(owner, csv_file([achievement_row(1), achievement_row(2)])))
    batch = ImportBatch.objects.get()
    run_work(
        lambda: owner.post(
            reverse("bulk:import_confirm", args=[batch.pk]), {"submit_for_review": "on"}
        )
    )
    assert set(Achievement.objects.values_list("status", flat=True)) == {"pending"}


def test_errors_are_listed_by_row_and_column_and_nothing_can_be_imported(owner, run_work):
    rows = [
        achievement_row(1),
        achievement_row(2, **{"技术成熟度(TRL 1–9) / Maturity (TRL 1–9)": "12"}),
        achievement_row(3, 技术领域="quantum-cooking"),
        achievement_row(4, **{"成果名称 / Title": "", "价格面议 / Price negotiable": "maybe"}),
    ]
    run_work(lambda: upload(owner, csv_file(rows)))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]) for e in batch.errors}
    assert found == {
        (3, "技术成熟度(TRL 1–9) / Maturity (TRL 1–9)"),
        (4, "技术领域 / Technical fields"),
        (5, "成果名称 / Title"),
        (5, "价格面议 / Price negotiable"),
    }
    assert any("quantum-cooking" in e["message"] for e in batch.errors)
    page = owner.get(batch.get_absolute_url()).content.decode()
    assert "quantum-cooking" in page and "nothing was imported" in page

    response = owner.post(reverse("bulk:import_confirm", args=[batch.pk]), {}, follow=True)
    assert "Only a checked file without errors can be imported." in response.content.decode()
    assert not Achievement.objects.exists()


def test_a_row_refused_during_the_import_leaves_no_listing_at_all(owner, run_work, monkeypatch):
    from marketplace.listings import services

    real_submit, calls = services.listing_submit, []

    def submit_refusing_the_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise Refused("The organisation may not submit more today.")
        return real_submit(**kwargs)

    monkeypatch.setattr(services, "listing_submit", submit_refusing_the_third)
    run_work(lambda: upload(owner, csv_file([achievement_row(n) for n in range(4)])))
    batch = ImportBatch.objects.get()
    run_work(
        lambda: owner.post(
            reverse("bulk:import_confirm", args=[batch.pk]), {"submit_for_review": "on"}
        )
    )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID and batch.created_ids == []
    assert batch.errors[0]["row"] == 4 and "may not submit" in batch.errors[0]["message"]
    assert not Achievement.objects.exists()


def test_an_xlsx_workbook_of_challenges_imports(owner, run_work):
    book = Workbook()
    sheet = book.active
    headers = ["需求名称", "Summary", "Description", "Technical fields", "Region", "截止日期",
               "Cooperation modes", "Budget from (yuan)"]  # fmt: skip
    sheet.append(headers)
    deadline = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=60), datetime.time()
    )
    sheet.append(["电池壳体轻量化", "减重20%", "详细描述 " * 10, "ic-lithography", "浙江",
                  deadline, "Joint development", 100000])  # fmt: skip
    sheet.append([None] * len(headers))  # a blank row is skipped
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("challenges.xlsx", buffer.getvalue())
    run_work(lambda: upload(owner, file, kind="challenge"))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.READY, batch.errors
    run_work(lambda: owner.post(reverse("bulk:import_confirm", args=[batch.pk]), {}))
    challenge = Challenge.objects.get()
    assert challenge.deadline == deadline.date() and challenge.budget_min == 100000
    assert challenge.cooperation_modes == ["joint_development"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("list.txt", b"title\nx", "Upload a .csv or .xlsx file"),
        ("list.xlsx", b"PK\x03\x04 not really a workbook", "This is not an Excel .xlsx workbook."),
        ("list.csv", b"", "file is empty"),
        ("list.csv", "成果名称\n".encode(), "Required columns are missing"),
        ("list.csv", "成果名称,Colour\nx,red\n".encode(), "Unknown columns: “Colour”"),
        ("list.csv", "成果名称,Title\nx,y\n".encode(), "appears twice"),
        ("list.csv", b"\xff\xfe\x00\x00bad", "neither UTF-8 nor GB18030"),
    ],
)
def test_an_unreadable_file_is_refused_with_its_reason(owner, name, content, message):
    response = upload(owner, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_too_many_rows_are_refused(owner, settings):
    settings.IMPORT_MAX_ROWS = 3
    response = upload(owner, csv_file([achievement_row(n) for n in range(4)]))
    assert response.status_code == 400
    assert "more than 3 rows" in response.content.decode()


def test_a_gb18030_csv_from_an_old_excel_is_read(owner, run_work):
    text = "成果名称,成果简介,成果详细介绍,技术领域,所属地区,技术成熟度(TRL 1–9),知识产权状态,交易方式\n"
    text += "测试成果,简介,详细介绍详细介绍,ic-lithography,浙江,5,无,转让\n"
    run_work(lambda: upload(owner, SimpleUploadedFile("old.csv", text.encode("gb18030"))))
    assert ImportBatch.objects.get().rows[0]["title"] == "测试成果"


def test_an_import_is_seen_only_by_its_organisation(
    owner, run_work, client_for, ent_user, outsider
):
    run_work(lambda: upload(owner, csv_file([achievement_row(1)])))
    batch = ImportBatch.objects.get()
    assert client_for(ent_user).get(batch.get_absolute_url()).status_code == 404
    assert (
        client_for(ent_user).post(reverse("bulk:import_confirm", args=[batch.pk])).status_code
        == 404
    )
    assert client_for(outsider).get(reverse("bulk:import_list")).status_code == 403


def test_the_templates_have_the_bilingual_headers_and_the_accepted_values(owner):
    response = owner.get(reverse("bulk:template", args=["achievement", "xlsx"]))
    assert (
        response["Content-Disposition"] == 'attachment; filename="keqiao-achievement-import.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    first, values = book.worksheets
    assert [c.value for c in first[1]] == ACHIEVEMENT_HEADERS
    accepted = {(row[0], row[1]) for row in values.iter_rows(min_row=2, values_only=True)}
    assert ("知识产权状态 / IP status", "invention_granted") in accepted
    assert ("技术领域 / Technical fields", "ic-lithography") in accepted
    text = owner.get(reverse("bulk:template", args=["challenge", "csv"])).content.decode()
    assert text.startswith("\ufeff需求名称 / Title,")
    assert owner.get(reverse("bulk:template", args=["achievement", "pdf"])).status_code == 404
    assert owner.get(reverse("bulk:template", args=["robot", "csv"])).status_code == 404


def test_a_working_import_polls_its_progress_with_htmx(owner, run_work):
    run_work(lambda: upload(owner, csv_file([achievement_row(0)])))
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.VALIDATING)
    page = owner.get(batch.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page
    # The page loads htmx, or nothing would poll.
    assert "htmx.min.js" in page
