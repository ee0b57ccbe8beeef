"""The demo's visitors and access cards for JLG and HMC: a few visitors on site now, a few
expected later today, many who came and left over the past weeks (and a no-show); cards of
owners, tenants, staff and contractors, some expiring within the month, one lost, one
revoked (each step through the services, so the timelines hold who, when and why)."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Location, Property

from . import services
from .models import AccessCard, HolderKind, IdType, Visitor

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞")
PURPOSES = ("送快递", "探亲访友", "装修施工", "设备维修", "商务洽谈", "面试", "家政服务")
PROVINCES = "沪苏浙皖"
PAST_DAYS = 28


def _name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))


def _phone(rng):
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _plate(rng):
    letters = "ABCDEFGHJK"
    return f"{rng.choice(PROVINCES)}{rng.choice(letters)}{rng.randrange(10**5):05d}"


def _visitor(rng, property_, units, by, **values):
    visitor = Visitor(
        property=property_,
        name=_name(rng),
        phone=_phone(rng),
        host_name=_name(rng) if rng.random() < 0.7 else "",
        unit=rng.choice(units) if units else None,
        purpose=rng.choice(PURPOSES),
        id_type=IdType.RESIDENT_ID,
        id_last_four=f"{rng.randrange(1000):03d}{rng.choice('0123456789X')}",
        plate=_plate(rng) if rng.random() < 0.3 else "",
        badge=f"V{rng.randrange(1, 200):03d}",
        **values,
    )
    visitor.full_clean()
    return visitor


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed(*, scale=1, stdout=None):
    by = get_user_model().objects.filter(username="guard").first()
    supervisor = get_user_model().objects.filter(username="security").first() or by
    now = timezone.now()
    today = timezone.localdate()
    for index, code in enumerate(("JLG", "HMC")):
        property_ = Property.objects.filter(code=code).first()
        if property_ is None or Visitor.objects.filter(property=property_).exists():
            continue
        rng = random.Random(f"safety-visitors-{code}")
        units = list(Location.objects.filter(property=property_).order_by("path")[:40])
        # Who came and left over the past four weeks (and the odd no-show).
        for back in range(PAST_DAYS, 0, -1):
            day = today - datetime.timedelta(days=back)
            for _n in range(rng.randint(2, 5) * scale):
                arrived = _at(day, rng.randint(8, 17), rng.choice((0, 15, 30, 45)))
                visitor = services.register_arrival(
                    _visitor(rng, property_, units, by), by=by, at=arrived
                )
                services.sign_out(
                    visitor, by=by, at=arrived + datetime.timedelta(minutes=rng.randint(10, 180))
                )
            if back % 9 == 0:
                visitor = services.pre_register(
                    _visitor(rng, property_, units, by, expected_at=_at(day, 10)), by=supervisor
                )
                services.mark_no_show(visitor, by=by)
        # On site now: signed in during the last few hours.
        for minutes in (25, 70, 150)[: 2 + index]:
            services.register_arrival(
                _visitor(rng, property_, units, by),
                by=by,
                at=now - datetime.timedelta(minutes=minutes),
            )
        # Expected later today (pre-registered), for the guard's My work.
        for hour in (16, 18, 20):
            services.pre_register(
                _visitor(rng, property_, units, by, expected_at=_at(today, hour)), by=supervisor
            )
        _cards(rng, property_, units, supervisor, today)
    if stdout:
        stdout.write(
            f"safety: {Visitor.objects.count()} visitors, {AccessCard.objects.count()} access cards"
        )


def _cards(rng, property_, units, by, today):
    if AccessCard.objects.filter(property=property_).exists():
        return
    kinds = list(HolderKind.values)
    cards = []
    for n in range(1, 31):
        kind = kinds[n % len(kinds)]
        issued = today - datetime.timedelta(days=rng.randint(60, 700))
        if n <= 3:  # expiring within the month: the supervisor's reminder
            expires = today + datetime.timedelta(days=5 * n)
        elif kind == HolderKind.CONTRACTOR:
            expires = today + datetime.timedelta(days=rng.randint(40, 180))
        else:
            expires = issued + datetime.timedelta(days=365 * 3)
        card = AccessCard(
            property=property_,
            number=f"{property_.code}-{n:04d}",
            holder_name=_name(rng),
            holder_kind=kind,
            unit=rng.choice(units) if units else None,
            issued_on=issued,
            expires_on=expires,
        )
        card.full_clean()
        card.save()
        cards.append(card)
    services.report_card_lost(cards[5], by=by, reason="业主报失，已补办新卡")
    services.revoke_card(cards[6], by=by, reason="租户退租，收回门禁权限")
