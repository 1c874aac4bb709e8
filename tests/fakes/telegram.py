"""A local fake of the Telegram Bot API, speaking the real HTTP protocol.

python-telegram-bot talks to it exactly as to api.telegram.org: form-encoded (or
multipart) POSTs to /bot<TOKEN>/<method>, `reply_markup` as a JSON string, long-polled
`getUpdates`. Tests push updates in and read what the bot called.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.test_utils import TestServer

if TYPE_CHECKING:
    from core.clock import Clock
    from tests.fakes.clock import FakeClock

BOT_USER = {"id": 999000, "is_bot": True, "first_name": "ThottoPilot", "username": "thotto_bot"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None
    at: datetime | None = None  # when it arrived, on the fake's clock (if it has one)


def button_data(call: Call, label: str) -> str:
    """The callback data of the button labelled `label` in a message the bot sent."""
    rows = call.params["reply_markup"]["inline_keyboard"]
    return str(next(b["callback_data"] for row in rows for b in row if b["text"] == label))


async def sent_while_advancing(fake: FakeTelegram, count: int, clock: FakeClock,
                               step: timedelta, within: float = 60.0, *,
                               until: Callable[[list[str]], bool] | None = None
                               ) -> list[str]:
    """Advance the fake clock by `step` until the bot has sent `count` messages (or,
    with `until`, until their texts satisfy it); its waits run on that clock: a retry's
    pause, a backoff. The texts sent."""
    def texts() -> list[str]:
        return [c.params["text"] for c in fake.calls_to("sendMessage")]

    def done() -> bool:
        return until(texts()) if until is not None else len(texts()) >= count

    async with asyncio.timeout(within):
        while not done():
            clock.advance(step)
            await asyncio.sleep(0.05)
    return texts()


class FakeTelegram:
    def __init__(self, token: str = "123:TEST", clock: Clock | None = None) -> None:
        """`clock`: stamps each call's arrival (`Call.at`), e.g. a test's FakeClock."""
        self.token = token
        self.clock = clock
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._file_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self.server: TestServer | None = None
        # method -> HTTP statuses to answer with, one per call, before working again
        self.failures: dict[str, list[int]] = {}
        # method -> awaited with the call's params before it is answered (a spec doing
        # something at the exact moment the bot makes a call)
        self.hooks: dict[str, Callable[[dict[str, Any]], Awaitable[None]]] = {}
        self.flood_wait = 1  # the retry_after (seconds) a 429 from `failures` asks for
        # invoice link -> {payload, currency, amount, subscription_period, title}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.refunded: set[str] = set()  # telegram_payment_charge_id
        # telegram_payment_charge_id -> is_canceled, as editUserStarSubscription last set it
        self.subscriptions_canceled: dict[str, bool] = {}

    # -- lifecycle -------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}/bot"

    @property
    def file_base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}/file/bot"

    # -- what users do ---------------------------------------------------------
    def user(self, user_id: int = 42, first_name: str = "Alice") -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "username": "alice",
            "language_code": "en",
        }

    async def send_text(self, text: str, user_id: int = 42, group_id: int | None = None,
                        reply_to: dict[str, Any] | None = None) -> None:
        """A message from `user_id`, in a private chat or in the group `group_id`;
        `reply_to`: the message (as the bot got it back) this one replies to."""
        msg = self._message(user_id, text=text)
        if group_id is not None:
            msg["chat"] = {"id": group_id, "type": "group", "title": "Creators"}
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        await self._push({"message": msg})

    async def send_photo(self, data: bytes, caption: str = "", user_id: int = 42) -> str:
        file_id = self.store_file(data)
        photo = [
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "width": 800,
                "height": 600,
                "file_size": len(data),
            }
        ]
        await self._push({"message": self._message(user_id, photo=photo, caption=caption)})
        return file_id

    async def send_document(
        self, data: bytes, file_name: str, mime_type: str, user_id: int = 42
    ) -> str:
        file_id = self.store_file(data)
        doc = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        await self._push({"message": self._message(user_id, document=doc)})
        return file_id

    async def press(self, message: dict[str, Any], data: str, user_id: int = 42) -> str:
        query_id = f"q{next(self._update_ids)}"
        await self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user(user_id),
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                }
            }
        )
        return query_id

    async def inline_query(self, query: str, user_id: int = 42) -> str:
        """The user types "@bot <query>" in any chat; returns the query id."""
        query_id = f"iq{next(self._update_ids)}"
        await self._push({"inline_query": {"id": query_id, "from": self.user(user_id),
                                           "query": query, "offset": ""}})
        return query_id

    async def pre_checkout(self, invoice_link: str, user_id: int = 42,
                           payload: str | None = None, amount: int | None = None) -> str:
        """The user taps Pay on an invoice: Telegram asks the bot first. `payload` and
        `amount` override the invoice's (a forged or stale payment). Returns the id."""
        invoice = self.invoices[invoice_link]
        query_id = f"pcq{next(self._update_ids)}"
        await self._push({"pre_checkout_query": {
            "id": query_id, "from": self.user(user_id), "currency": invoice["currency"],
            "total_amount": invoice["amount"] if amount is None else amount,
            "invoice_payload": invoice["payload"] if payload is None else payload}})
        return query_id

    async def pay(self, invoice_link: str, charge_id: str, user_id: int = 42,
                  expires: int | None = None) -> dict[str, Any]:
        """The payment went through: the `successful_payment` message (pushed again by
        `redeliver` to test idempotency). `expires` is subscription_expiration_date."""
        invoice = self.invoices[invoice_link]
        paid: dict[str, Any] = {
            "currency": invoice["currency"], "total_amount": invoice["amount"],
            "invoice_payload": invoice["payload"], "telegram_payment_charge_id": charge_id,
            "provider_payment_charge_id": f"p-{charge_id}"}
        if invoice.get("subscription_period"):
            paid.update(is_recurring=True, is_first_recurring=True)
        if expires is not None:
            paid["subscription_expiration_date"] = expires
        update = {"message": self._message(user_id, successful_payment=paid)}
        await self._push(update)
        return update

    async def renew(self, invoice_link: str, charge_id: str, user_id: int = 42,
                    expires: int | None = None) -> dict[str, Any]:
        """A subscription's next period was charged: Telegram repeats the invoice's
        payload with a new charge id, no pre-checkout, not `is_first_recurring`."""
        invoice = self.invoices[invoice_link]
        paid: dict[str, Any] = {
            "currency": invoice["currency"], "total_amount": invoice["amount"],
            "invoice_payload": invoice["payload"], "telegram_payment_charge_id": charge_id,
            "provider_payment_charge_id": f"p-{charge_id}", "is_recurring": True}
        if expires is not None:
            paid["subscription_expiration_date"] = expires
        update = {"message": self._message(user_id, successful_payment=paid)}
        await self._push(update)
        return update

    async def redeliver(self, update: dict[str, Any]) -> None:
        """The same payment message again in a new update (an identical update_id would
        already be stopped by the inbox; this reaches the payment handling itself)."""
        await self._push({k: v for k, v in update.items() if k != "update_id"})

    def store_file(self, data: bytes) -> str:
        file_id = f"file{next(self._file_ids)}"
        self.files[file_id] = data
        return file_id

    # -- what the bot did ------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 60.0) -> list[Call]:
        """Wait until the bot has called `method` at least `count` times (a ceiling for a
        loaded machine, never a speed assertion)."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(self.calls_to(method)) >= count)
        return self.calls_to(method)

    # -- protocol ----------------------------------------------------------------
    def _message(self, user_id: int, **extra: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": 1_764_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Alice"},
            "from": self.user(user_id),
            **extra,
        }

    async def _push(self, update: dict[str, Any]) -> None:
        async with self._changed:
            self._updates.append({"update_id": next(self._update_ids), **update})
            self._changed.notify_all()

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        if request.content_type == "application/json":
            return dict(await request.json()), {}
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                params[key] = value
        if isinstance(params.get("reply_markup"), str):
            params["reply_markup"] = json.loads(params["reply_markup"])
        return params, files

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params, files = await self._params(request)
        if method in self.hooks:
            await self.hooks[method](params)
        if self.failures.get(method):
            status = self.failures[method].pop(0)
            body = {"ok": False, "error_code": status, "description": "Bad Gateway"}
            if status == 429:
                body.update(description=f"Too Many Requests: retry after {self.flood_wait}",
                            parameters={"retry_after": self.flood_wait})
            return web.json_response(body, status=status)
        if method == "getUpdates":
            return web.json_response({"ok": True, "result": await self._get_updates(params)})
        refused = _markup_problem(params.get("reply_markup"))
        if refused is not None:  # what the real Bot API answers to a bad keyboard
            return web.json_response(
                {"ok": False, "error_code": 400, "description": f"Bad Request: {refused}"},
                status=400,
            )
        if method == "refundStarPayment" and params.get("telegram_payment_charge_id") \
                in self.refunded:
            return web.json_response({"ok": False, "error_code": 400,
                                      "description": "Bad Request: CHARGE_ALREADY_REFUNDED"},
                                     status=400)
        result = self._result(method, params, files)
        async with self._changed:
            at = self.clock.now() if self.clock is not None else None
            self.calls.append(Call(method, params, files, result, at))
            self._changed.notify_all()
        if result is None:
            return web.json_response(
                {"ok": False, "error_code": 400, "description": f"Bad Request: {method} unknown"},
                status=400,
            )
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 2.0)
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0:
                try:
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates)), timeout
                    )
                except TimeoutError:
                    return []
            return list(self._updates)

    def _result(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = int(params.get("chat_id") or 0)
        bot_msg = {
            "message_id": next(self._message_ids),
            "date": 1_764_000_000,
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
        }
        if "reply_markup" in params:
            bot_msg["reply_markup"] = params["reply_markup"]
        match method:
            case "getMe":
                return {
                    **BOT_USER,
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                }
            case (
                "deleteWebhook"
                | "setWebhook"
                | "setMyCommands"
                | "answerCallbackQuery"
                | "sendChatAction"
                | "deleteMessage"
            ):
                return True
            case "sendMessage":
                return {**bot_msg, "text": params.get("text", "")}
            case "editMessageText":
                bot_msg["message_id"] = int(params["message_id"])
                return {**bot_msg, "text": params.get("text", "")}
            case "sendDocument" | "sendPhoto":
                key = "document" if method == "sendDocument" else "photo"
                data = files.get(key, b"")
                file_id = self.store_file(data)
                meta = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(data)}
                if key == "photo":
                    return {
                        **bot_msg,
                        "photo": [{**meta, "width": 1, "height": 1}],
                        "caption": params.get("caption"),
                    }
                return {**bot_msg, "document": meta, "caption": params.get("caption")}
            case "answerPreCheckoutQuery" | "answerInlineQuery":
                return True
            case "createInvoiceLink":
                prices = params.get("prices")
                prices = json.loads(prices) if isinstance(prices, str) else prices or []
                link = f"https://t.me/$invoice{len(self.invoices) + 1}"
                self.invoices[link] = {
                    "payload": params.get("payload"), "currency": params.get("currency"),
                    "amount": sum(int(p["amount"]) for p in prices), "title": params.get("title"),
                    "subscription_period": int(params.get("subscription_period") or 0)}
                return link
            case "refundStarPayment":
                self.refunded.add(str(params["telegram_payment_charge_id"]))
                return True
            case "editUserStarSubscription":
                canceled = str(params.get("is_canceled")).lower() == "true"
                self.subscriptions_canceled[str(params["telegram_payment_charge_id"])] = canceled
                return True
            case "getFile":
                file_id = params["file_id"]
                if file_id not in self.files:
                    return None
                return {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "file_size": len(self.files[file_id]),
                    "file_path": f"docs/{file_id}",
                }
        return None

    async def _file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if request.match_info["token"] != self.token or file_id not in self.files:
            raise web.HTTPNotFound
        return web.Response(body=self.files[file_id])


def _markup_problem(markup: Any) -> str | None:
    """Why Telegram would refuse this inline keyboard (None if it would take it)."""
    if not isinstance(markup, dict):
        return None
    rows = markup.get("inline_keyboard") or []
    if sum(len(row) for row in rows) > 100:
        return "reply markup is too long"
    for row in rows:
        for button in row:
            data = button.get("callback_data")
            if not button.get("text") or (data is not None and not 1 <= len(data.encode()) <= 64):
                return "BUTTON_DATA_INVALID"
    return None
