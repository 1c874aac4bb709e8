"""A local fake of the Stripe API, speaking the real protocol to the real stripe library.

Requests are form-encoded with Stripe's bracket notation (`line_items[0][price]=...`),
authenticated by `Authorization: Bearer sk_...`; responses are JSON objects with `id`
and `object`, errors `{"error": {...}}` with Stripe's status codes. Tests drive what
happens on Stripe's side (a customer completes Checkout, a renewal fails, a
subscription is cancelled): each change is recorded as an event, listed by
`GET /v1/events` like Stripe's, and can be delivered to a webhook signed the way
Stripe signs (`t=<unix>,v1=HMAC-SHA256(secret, "<t>.<body>")`).
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

API_KEY = "sk_test_fake"
WEBHOOK_SECRET = "whsec_fake_secret"
MONTH = 30 * 24 * 3600


def parse_form(body: str) -> dict[str, Any]:
    """`a[b][0][c]=1` -> {"a": {"b": [{"c": "1"}]}} (Stripe's encoding of nested params)."""
    out: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = key.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(out)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


def signature(payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
              ) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256)
    return f"t={stamp},v1={mac.hexdigest()}"


class FakeStripe:
    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self.customers: dict[str, dict[str, Any]] = {}
        self.checkouts: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.portals: list[dict[str, Any]] = []
        self.meter_events: dict[str, dict[str, Any]] = {}  # by identifier: counted once
        self.meter_event_requests: list[dict[str, Any]] = []  # every one received
        self.reject_duplicate_meter_events = False
        self.cancellations: list[str] = []  # every DELETE /v1/subscriptions/{id} received
        self.invoices: dict[str, dict[str, Any]] = {}  # paid invoices, by id
        self.charges: dict[str, dict[str, Any]] = {}  # their charges, by PaymentIntent
        self.updates: list[tuple[str, dict[str, Any]]] = []  # every POST /v1/subscriptions/{id}
        self.fail_updates = False  # Stripe down for updates: 500 api_error
        self.portal_updates = True  # the portal's configuration lets customers change plan
        self.fail_cancellations = False  # Stripe down for cancelling: 500 api_error
        self.fail_next = 0  # a passing blip: the next this many requests answer 500
        self.hold_meter_responses = False
        # the next this many subscription reads answer what was true when they arrived,
        # only once `release_reads` is set (a read overtaken by a later change)
        self.slow_reads = 0
        self.read_arrived = asyncio.Event()
        self.release_reads = asyncio.Event()
        self.meter_event_arrived = asyncio.Event()
        self.release_meter_responses = asyncio.Event()
        self.events: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.server: TestServer | None = None
        self.now = int(time.time())

    # -- lifecycle ---------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/v1/{path:.+}", self._api)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        self.release_meter_responses.set()
        if self.server is not None:
            await self.server.close()

    @property
    def api_base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}"

    # -- what happens on Stripe's side -----------------------------------------------
    def complete_checkout(self, session_id: str, status: str = "active", *,
                          amount_paid: int = 1000) -> dict[str, Any]:
        """The customer paid: a subscription exists; returns the events Stripe sends.
        `amount_paid` 0: a metered (pay-as-you-go) price's first invoice, or a trial."""
        cs = self.checkouts[session_id]
        price = cs["line_items"][0]["price"]
        sub = {
            "id": self._id("sub"), "object": "subscription", "customer": cs["customer"],
            "status": status, "cancel_at_period_end": False,
            "metadata": dict(cs.get("subscription_data", {}).get("metadata", {})),
            "items": {"object": "list", "data": [{
                "id": self._id("si"), "object": "subscription_item",
                "price": {"id": price, "object": "price"},
                "current_period_start": self.now, "current_period_end": self.now + MONTH,
            }]},
        }
        self.subscriptions[sub["id"]] = sub
        cs.update(status="complete", payment_status="paid", subscription=sub["id"])
        return {"checkout": self._event("checkout.session.completed", cs),
                "created": self._event("customer.subscription.created", sub),
                "invoice": self._event("invoice.paid", self._paid(sub, "subscription_create",
                                                                  amount_paid))}

    def renew(self, sub_id: str) -> dict[str, Any]:
        """The next period was charged: the invoice.paid event."""
        return self._event("invoice.paid",
                           self._paid(self.subscriptions[sub_id], "subscription_cycle"))

    def refund(self, invoice_id: str, *, amount: int | None = None) -> dict[str, Any]:
        """The team refunded an invoice's charge in the Dashboard (all of it, or
        `amount`): the charge.refunded event. Since API 2025-03 a charge names no
        invoice; the invoice is found through the Invoice Payments API."""
        charge = self.charges[self.invoices[invoice_id]["payment_intent"]]
        charge["amount_refunded"] = charge["amount"] if amount is None else amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        return self._event("charge.refunded", charge)

    def _paid(self, sub: dict[str, Any], reason: str, amount: int = 1000) -> dict[str, Any]:
        """A paid invoice of `sub`, its PaymentIntent and charge."""
        invoice = self._invoice(sub, "paid")
        pi = self._id("pi")
        invoice.update(billing_reason=reason, payment_intent=pi, amount_paid=amount)
        self.invoices[invoice["id"]] = invoice
        self.charges[pi] = {"id": self._id("ch"), "object": "charge", "amount": amount,
                            "amount_refunded": 0, "refunded": False, "payment_intent": pi,
                            "customer": sub["customer"], "paid": True}
        return invoice

    def change(self, sub_id: str, *, price: str | None = None, status: str | None = None
               ) -> dict[str, Any]:
        sub = self.subscriptions[sub_id]
        if price is not None:
            sub["items"]["data"][0]["price"] = {"id": price, "object": "price"}
        if status is not None:
            sub["status"] = status
        kind = "customer.subscription.deleted" if status == "canceled" else \
            "customer.subscription.updated"
        return self._event(kind, sub)

    def fail_renewal(self, sub_id: str) -> dict[str, Any]:
        sub = self.subscriptions[sub_id]
        sub["status"] = "past_due"
        return self._event("invoice.payment_failed", self._invoice(sub, "open"))

    async def deliver(self, event: dict[str, Any], url: str, *, secret: str = WEBHOOK_SECRET,
                      timestamp: int | None = None, header: str | None = None
                      ) -> tuple[int, str]:
        """POST `event` to a webhook as Stripe does; (status, body text)."""
        body = json.dumps(event).encode()
        sig = header if header is not None else signature(body, secret, timestamp)
        async with aiohttp.ClientSession() as http, http.post(
                url, data=body, headers={"Stripe-Signature": sig,
                                         "Content-Type": "application/json"}) as resp:
            return resp.status, await resp.text()

    # -- protocol ----------------------------------------------------------------------
    def _id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def _event(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        self.now += 1
        event = {"id": self._id("evt"), "object": "event", "type": kind, "created": self.now,
                 "livemode": False, "api_version": "2026-10-28.endive",
                 "data": {"object": json.loads(json.dumps(obj))}}
        self.events.append(event)
        return event

    def _invoice(self, sub: dict[str, Any], status: str) -> dict[str, Any]:
        return {"id": self._id("in"), "object": "invoice", "customer": sub["customer"],
                "status": status, "billing_reason": "subscription_cycle",
                "parent": {"type": "subscription_details",
                           "subscription_details": {"subscription": sub["id"]}}}

    async def _api(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {API_KEY}":
            return _error(401, "invalid_request_error", "Invalid API Key provided")
        path = request.match_info["path"]
        params = parse_form(await request.text()) if request.method == "POST" else \
            parse_form(request.query_string)
        self.requests.append((request.method, path, params))
        if self.fail_next > 0:
            self.fail_next -= 1
            return _error(500, "api_error", "Something went wrong on Stripe's end.")
        route = (request.method, *path.split("/"))
        match route:
            case ("POST", "customers"):
                return self._ok(self._store(self.customers, "cus", "customer", params))
            case ("POST", "checkout", "sessions"):
                if not params.get("line_items") or params.get("mode") != "subscription":
                    return _error(400, "invalid_request_error", "line_items required")
                cs = self._store(self.checkouts, "cs", "checkout.session", params)
                cs.update(url=f"{self.api_base}/pay/{cs['id']}", status="open")
                return self._ok(cs)
            case ("POST", "billing_portal", "sessions"):
                if params.get("customer") not in self.customers:
                    return _error(400, "invalid_request_error", "No such customer")
                refused = self._refuse_flow(params)
                if refused is not None:
                    return refused
                portal = {"id": self._id("bps"), "object": "billing_portal.session",
                          "url": f"{self.api_base}/portal/{params['customer']}", **params}
                self.portals.append(portal)
                return self._ok(portal)
            case ("GET", "subscriptions", sub_id):
                if sub_id not in self.subscriptions:
                    return _error(404, "invalid_request_error", f"No such subscription: {sub_id}")
                return await self._read(self.subscriptions[sub_id])
            case ("DELETE", "subscriptions", sub_id):
                return self._cancel(sub_id)
            case ("POST", "subscriptions", sub_id):
                return self._update(sub_id, params)
            case ("GET", "events"):
                return self._ok(self._list_events(params))
            case ("GET", "invoice_payments"):
                return self._ok(self._invoice_payments(params))
            case ("GET", "invoices", invoice_id):
                if invoice_id not in self.invoices:
                    return _error(404, "invalid_request_error", f"No such invoice: {invoice_id}")
                return self._ok(self.invoices[invoice_id])
            case ("POST", "billing", "meter_events"):
                return await self._meter_event(params)
        return _error(404, "invalid_request_error", f"Unrecognized request URL ({path})")

    async def _read(self, sub: dict[str, Any]) -> web.Response:
        answer = copy.deepcopy(sub)
        if self.slow_reads > 0:
            self.slow_reads -= 1
            self.read_arrived.set()
            await self.release_reads.wait()
        return self._ok(answer)

    def _cancel(self, sub_id: str) -> web.Response:
        """Cancel now (not at period end), as Stripe's DELETE does: status `canceled`
        and a `customer.subscription.deleted` event; an unknown or already cancelled
        subscription is a 404 (`resource_missing`)."""
        self.cancellations.append(sub_id)
        if self.fail_cancellations:
            return _error(500, "api_error", "Something went wrong on Stripe's end.")
        sub = self.subscriptions.get(sub_id)
        if sub is None or sub["status"] == "canceled":
            return _error(404, "invalid_request_error", f"No such subscription: {sub_id}")
        sub.update(status="canceled", canceled_at=self.now, ended_at=self.now)
        self._event("customer.subscription.deleted", sub)
        return self._ok(sub)

    def _update(self, sub_id: str, params: dict[str, Any]) -> web.Response:
        """POST /v1/subscriptions/{id}: only `cancel_at_period_end` is understood (the
        subscription runs to its period's end, then Stripe ends it)."""
        self.updates.append((sub_id, params))
        if self.fail_updates:
            return _error(500, "api_error", "Something went wrong on Stripe's end.")
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            return _error(404, "invalid_request_error", f"No such subscription: {sub_id}")
        if "cancel_at_period_end" in params:
            sub["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
        self._event("customer.subscription.updated", sub)
        return self._ok(sub)

    def _refuse_flow(self, params: dict[str, Any]) -> web.Response | None:
        """A portal deep link to confirm a new price (`subscription_update_confirm`)
        must name a live subscription of that customer and its own items."""
        flow = params.get("flow_data")
        if not flow:
            return None
        if not self.portal_updates:
            return _error(400, "invalid_request_error", "The subscription update feature "
                          "in the portal configuration is disabled.")
        confirm = flow.get("subscription_update_confirm") or {}
        sub = self.subscriptions.get(confirm.get("subscription"))
        if flow.get("type") != "subscription_update_confirm" or sub is None \
                or sub["customer"] != params["customer"] or sub["status"] == "canceled":
            return _error(400, "invalid_request_error", "Invalid flow_data")
        ids = {item["id"] for item in sub["items"]["data"]}
        if not confirm.get("items") or any(i.get("id") not in ids for i in confirm["items"]):
            return _error(400, "invalid_request_error", "Invalid subscription items")
        return None

    def confirm_portal_update(self, portal: dict[str, Any]) -> dict[str, Any]:
        """The customer confirmed the new price on the portal page: the subscription's
        item changes price in place; returns the event Stripe sends."""
        confirm = portal["flow_data"]["subscription_update_confirm"]
        prices = {item["id"]: item["price"] for item in confirm["items"]}
        sub = self.subscriptions[confirm["subscription"]]
        for item in sub["items"]["data"]:
            if item["id"] in prices:
                item["price"] = {"id": prices[item["id"]], "object": "price"}
        return self._event("customer.subscription.updated", sub)

    async def _meter_event(self, params: dict[str, Any]) -> web.Response:
        """Billing Meter events, counted once per `identifier` (Stripe enforces it for
        at least 24 hours). Every request is kept in `meter_event_requests`; a repeated
        identifier answers with the event counted before, or with an error when
        `reject_duplicate_meter_events` is set (both are what a client must survive)."""
        self.meter_event_requests.append(params)
        payload = params.get("payload") or {}
        if not params.get("event_name") or "value" not in payload:
            return _error(400, "invalid_request_error", "event_name and payload[value] "
                          "are required")
        if payload.get("stripe_customer_id") not in self.customers:
            return _error(400, "invalid_request_error", "No customer found with "
                          f"stripe_customer_id {payload.get('stripe_customer_id')}")
        key = params.get("identifier") or self._id("mev")
        if key in self.meter_events:
            if self.reject_duplicate_meter_events:
                return _error(400, "invalid_request_error", "An event with identifier "
                              f"{key} already exists.")
            return self._ok(self.meter_events[key])
        self.meter_events[key] = {"object": "billing.meter_event", "identifier": key,
                                  "created": self.now, **params}
        self.meter_event_arrived.set()
        if self.hold_meter_responses:  # counted, but the answer never reaches the client
            await self.release_meter_responses.wait()
        return self._ok(self.meter_events[key])

    def meter_total(self, event_name: str, customer: str) -> int:
        """What Stripe's meter adds up for a customer: each identifier counted once."""
        return sum(int(e["payload"]["value"]) for e in self.meter_events.values()
                   if e["event_name"] == event_name
                   and e["payload"].get("stripe_customer_id") == customer)

    def _store(self, into: dict[str, dict[str, Any]], prefix: str, kind: str,
               params: dict[str, Any]) -> dict[str, Any]:
        obj = {"id": self._id(prefix), "object": kind, "created": self.now, **params}
        into[obj["id"]] = obj
        return obj

    def _list_events(self, params: dict[str, Any]) -> dict[str, Any]:
        since = int((params.get("created") or {}).get("gte", 0))
        newest_first = [e for e in reversed(self.events) if e["created"] >= since]
        after = params.get("starting_after")
        if after:
            ids = [e["id"] for e in newest_first]
            newest_first = newest_first[ids.index(after) + 1:] if after in ids else []
        limit = int(params.get("limit") or 10)
        page = newest_first[:limit]
        return {"object": "list", "url": "/v1/events", "data": page,
                "has_more": len(newest_first) > limit}

    def _invoice_payments(self, params: dict[str, Any]) -> dict[str, Any]:
        """GET /v1/invoice_payments?payment[type]=payment_intent&payment[payment_intent]=pi"""
        pi = (params.get("payment") or {}).get("payment_intent")
        data = [{"id": f"inpay_{inv['id']}", "object": "invoice_payment",
                 "invoice": inv["id"], "status": "paid",
                 "payment": {"type": "payment_intent", "payment_intent": pi}}
                for inv in self.invoices.values() if pi and inv.get("payment_intent") == pi]
        return {"object": "list", "url": "/v1/invoice_payments", "data": data,
                "has_more": False}

    @staticmethod
    def _ok(obj: dict[str, Any]) -> web.Response:
        return web.json_response(obj, headers={"Request-Id": "req_fake"})


def _error(status: int, kind: str, message: str) -> web.Response:
    return web.json_response({"error": {"type": kind, "message": message}}, status=status)


def stripe_section(fake: FakeStripe, *, webhook: bool = True, retries: int = 0
                   ) -> dict[str, str | int]:
    """The `stripe` settings that point the real library at this fake.

    The library's own retries are off unless a spec asks for them (`retries`): they
    back off in real time (0.5 s and more each), and a spec where Stripe is down is
    about what we do once the call has failed, which is the same after any number."""
    section: dict[str, str | int] = {"secret_key": API_KEY, "api_base": fake.api_base,
                                     "max_network_retries": retries}
    if webhook:
        section["webhook_secret"] = WEBHOOK_SECRET
    return section
