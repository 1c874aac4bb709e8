"""Web push (issue 11.3): VAPID keys, browser subscriptions, notice preferences and
sending. Notices reach push through the outbox (core.posting.outbox): `notify` writes a
"push" row next to the "chat" row for creators who want it, and the delivery loop hands
push rows to the push deliverer (web.pwa.push_deliver), once per event key."""
