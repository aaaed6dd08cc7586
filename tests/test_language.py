"""The reader's language: ?lang= (en, ar) chooses it for pages and API answers, else the
DEFAULT_LANGUAGE setting; Arabic pages are right to left and load the scripts' catalog; words
from the data come in Arabic where the data has them; cached answers never mix languages."""

import datetime as dt
import json

from django.test import override_settings

from tests.conftest import START, rect


def test_api_words_follow_lang_and_cached_answers_keep_their_language(client, db, settings):
    settings.RESPONSE_CACHE_SECONDS = 60
    english = client.get("/api/v1/event-types/").json()
    arabic = client.get("/api/v1/event-types/", {"lang": "ar"})
    assert arabic["Content-Language"] == "ar"
    assert english[0]["label"] == "Air strike" and arabic.json()[0]["label"] == "غارة جوية"
    assert client.get("/api/v1/event-types/", {"lang": "xx"}).json()[0]["label"] == "Air strike", "unknown: default"


def test_the_summary_is_said_in_arabic_with_levantine_months_and_grouped_numbers(client, world, settings):
    settings.RESPONSE_CACHE_SECONDS = 60
    world.change(START + dt.timedelta(days=10), world.green, rect(10, 10, 11, 11))
    world.build()
    english = client.get("/api/v1/summary/", {"theatre": "toyland", "date": "2020-01-11"}).json()["text"]
    arabic = client.get("/api/v1/summary/", {"theatre": "toyland", "date": "2020-01-11", "lang": "ar"}).json()["text"]
    assert english.startswith("On 11 January 2020")
    assert "11 كانون الثاني 2020" in arabic and "؛" in arabic and "كم²" in arabic and "12," in arabic


def test_pages_are_right_to_left_in_arabic_with_the_scripts_catalog(client, world):
    page = client.get("/t/toyland/", {"lang": "ar"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in page and "/jsi18n/?lang=ar" in page
    english = client.get("/t/toyland/").content.decode()
    assert '<html lang="en" dir="ltr">' in english and "/jsi18n/" not in english  # English needs no catalog
    catalog = client.get("/jsi18n/", {"lang": "ar"}).content.decode()
    assert json.dumps("تشغيل")[1:-1] in catalog  # "Play", as the catalog escapes it


def test_arabic_first_is_a_setting(client, world):
    with override_settings(LANGUAGE_CODE="ar"):
        assert '<html lang="ar" dir="rtl">' in client.get("/t/toyland/").content.decode()
        assert '<html lang="en" dir="ltr">' in client.get("/t/toyland/", {"lang": "en"}).content.decode()
