"""The fake Reddit's public side: what other people see of a post and an account.

Tests set a post's numbers and fate on `Post.stats` (`score`, `num_comments`,
`upvote_ratio`, `removed_by_category`, `selftext`, `hidden`: spam-filtered, so absent
from listings for everyone but its author) and put accounts in `FakeReddit.shadowbanned`
(their posts are hidden and their profile is a 404 for everyone else). Logged-out
readers come in with an app-only token (`client_credentials`), as their user "".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from tests.fakes.reddit import FakeReddit, Post

ANONYMOUS = ""


def post_fields(fake: FakeReddit, post: Post) -> dict[str, Any]:
    """The listing/submission JSON of `post` (numbers and removal included)."""
    stats = post.data.get("_stats", {})
    return {
        "id": post.id, "name": f"t3_{post.id}", "title": post.title,
        "subreddit": post.subreddit, "author": post.author, "created_utc": post.created_utc,
        "permalink": f"/r/{post.subreddit}/comments/{post.id}/post/",
        "over_18": post.data.get("nsfw") in ("true", True),
        "score": stats.get("score", 1), "num_comments": stats.get("num_comments", 0),
        "upvote_ratio": stats.get("upvote_ratio", 1.0),
        "removed_by_category": stats.get("removed_by_category"),
        "selftext": stats.get("selftext", str(post.data.get("text") or "")),
    }


def set_stats(post: Post, **stats: Any) -> None:
    post.data.setdefault("_stats", {}).update(stats)


def seen_by_others(fake: FakeReddit, post: Post) -> bool:
    stats = post.data.get("_stats", {})
    return not (stats.get("hidden") or stats.get("removed_by_category")
                or post.author in fake.shadowbanned)


def _listing(children: list[dict[str, Any]]) -> web.Response:
    return web.json_response({"kind": "Listing", "data": {
        "children": [{"kind": "t3", "data": c} for c in children],
        "after": None, "before": None}})


async def new_listing(fake: FakeReddit, request: web.Request) -> web.Response:
    """r/<sub>/new, newest first, as the caller sees it (authors see their own posts)."""
    viewer = fake._user(request)
    want = request.match_info["sub"].lower()
    posts = sorted((p for p in fake.posts if p.subreddit.lower() == want
                    and (p.author == viewer or seen_by_others(fake, p))),
                   key=lambda p: -p.created_utc)
    limit = int(request.query.get("limit", "25"))
    return _listing([post_fields(fake, p) for p in posts[:limit]])


async def top_listing(fake: FakeReddit, request: web.Request) -> web.Response:
    """r/<sub>/top?t=…: the highest scores first (the fake keeps every post "recent")."""
    viewer = fake._user(request)
    want = request.match_info["sub"].lower()
    posts = [p for p in fake.posts if p.subreddit.lower() == want
             and (p.author == viewer or seen_by_others(fake, p))]
    posts.sort(key=lambda p: -float(p.data.get("_stats", {}).get("score", 1)))
    limit = int(request.query.get("limit", "25"))
    return _listing([post_fields(fake, p) for p in posts[:limit]])


def seed_posts(fake: FakeReddit, subreddit: str, posts: list[tuple[float, float]],
               author: str = "someone_else") -> None:
    """Other people's posts in `subreddit`: (created_utc, score) each, oldest first."""
    from tests.fakes.reddit import Post

    for n, (created, score) in enumerate(sorted(posts)):
        post = Post("self", subreddit, f"post {n}", author, f"seed{len(fake.posts)}",
                    {"_stats": {"score": score}}, created_utc=created)
        fake.posts.append(post)


async def user_about(fake: FakeReddit, request: web.Request) -> web.Response:
    """u/<name>/about: a shadowbanned account is a 404 to everyone but itself."""
    viewer = fake._user(request)
    name = request.match_info["name"]
    if name in fake.shadowbanned and viewer != name:
        raise web.HTTPNotFound(text='{"message": "Not Found", "error": 404}')
    if name in fake.suspended:
        return web.json_response({"kind": "t2", "data": {"name": name, "is_suspended": True}})
    return web.json_response({"kind": "t2", "data": {
        "name": name, "id": f"id{name}", "created_utc": 1.6e9, "link_karma": 10,
        "comment_karma": 10}})


def add_routes(fake: FakeReddit, router: web.UrlDispatcher) -> None:
    async def new(request: web.Request) -> web.Response:
        return await new_listing(fake, request)

    async def about(request: web.Request) -> web.Response:
        return await user_about(fake, request)

    async def top(request: web.Request) -> web.Response:
        return await top_listing(fake, request)

    router.add_get("/r/{sub}/new", new, name="new")
    router.add_get("/r/{sub}/new/", new, name="new_slash")
    router.add_get("/r/{sub}/hot", top, name="hot")  # by score too: good enough here
    router.add_get("/r/{sub}/hot/", top, name="hot_slash")
    router.add_get("/r/{sub}/top", top, name="top")
    router.add_get("/r/{sub}/top/", top, name="top_slash")
    router.add_get("/user/{name}/about", about, name="user_about")
    router.add_get("/user/{name}/about/", about, name="user_about_slash")
