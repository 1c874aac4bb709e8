"""Prometheus metrics, one registry per `Core` (tests build many; nothing is global).

Request durations are labelled with the route *template* (`/queue/{job_id}`), never the
raw path, so a scan of random URLs cannot blow up the number of series.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
LATENESS_BUCKETS = (0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0, 3600.0)


class Metrics:
    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry: CollectorRegistry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Histogram(
            "thottopilot_http_request_duration_seconds", "Web request duration",
            ("route", "method", "status"), buckets=LATENCY_BUCKETS, registry=r)
        self.updates = Histogram(
            "thottopilot_bot_update_seconds", "Chat update received to handled (replied)",
            ("transport", "event"), buckets=LATENCY_BUCKETS, registry=r)
        self.lateness = Histogram(
            "thottopilot_scheduler_lateness_seconds", "Scheduled post claimed after its time",
            buckets=LATENESS_BUCKETS, registry=r)
        self.queue_depth = Gauge(
            "thottopilot_scheduler_queue_depth", "Queued posts that are due", registry=r)
        self.errors = Counter(
            "thottopilot_errors", "Unhandled errors caught centrally", ("where",), registry=r)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).observe(max(seconds, 0.0))

    def observe_update(self, transport: str, event: str, seconds: float) -> None:
        self.updates.labels(transport, event).observe(max(seconds, 0.0))

    def observe_lateness(self, seconds: float) -> None:
        self.lateness.observe(max(seconds, 0.0))

    def set_queue_depth(self, depth: int) -> None:
        self.queue_depth.set(depth)

    def error(self, where: str) -> None:
        self.errors.labels(where).inc()

    def render(self) -> tuple[bytes, str]:
        """The text exposition format and its content type."""
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return generate_latest(self.registry), CONTENT_TYPE_LATEST
