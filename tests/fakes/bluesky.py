"""A fake Bluesky PDS speaking atproto XRPC, for posting, sessions and hashtag search.

    with FakeBlueskyPds() as pds:      # handle chathost.test, app password "app-pass-word"
        requests.post(f"{pds.base_url}/xrpc/com.atproto.server.createSession",
                      json={"identifier": "chathost.test", "password": "app-pass-word"})
        pds.add_post("A1 #ChatHour", handle="someone.test")   # another account's post

Sessions: createSession (counted in ``logins``; 30 per 5 minutes and 300 a day, then 429
with ``ratelimit-*`` headers), refreshSession (the refresh token rotates; the old one still
gives the same new pair for a grace period, as the PDS does), getSession. Tokens are
JWT-shaped with ``exp``; an expired access token gets 400 ``ExpiredToken``.

Records (app.bsky.feed.post): createRecord with a caller-chosen rkey (a TID; an rkey that
exists fails with 500, as the deployed PDS answers, see bluesky-social/atproto#3718),
putRecord, getRecord (400 ``RecordNotFound``), listRecords (newest rkey first, cursor),
deleteRecord. Reading: app.bsky.feed.searchPosts (``q``, ``tag`` filter from tag facets,
``since``/``until``, cursor; signed-in only) and app.bsky.actor.getProfile.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.atproto_wire import (
    TID_RE,
    cid_of,
    iso,
    jwt,
    jwt_payload,
    new_tid,
    parse_time,
    record_tags,
    reply_ref,
    tag_facets,
    xrpc_error,
)
from tests.fakes.servers import FakeRequest, FakeResponse, FakeServer

POST = "app.bsky.feed.post"
LOGINS_PER_5_MIN = 30
LOGINS_PER_DAY = 300
REFRESH_GRACE = timedelta(hours=2)
REFRESH_SCOPE = "com.atproto.refresh"
_AUTH_FREE = ("createSession", "refreshSession")


class FakeBlueskyPds(FakeServer):
    """Fake PDS with one account that posts, and others whose posts can be searched."""

    def __init__(
        self,
        *,
        handle: str = "chathost.test",
        app_password: str = "app-pass-word",
        access_ttl: timedelta = timedelta(hours=2),
        refresh_ttl: timedelta = timedelta(days=90),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.handle, self.did = handle, "did:plc:fakehost00000000000000001"
        self.app_password = app_password
        self.access_ttl, self.refresh_ttl = access_ttl, refresh_ttl
        self.clock = clock or (lambda: datetime.now(UTC))
        self.logins: list[datetime] = []  # every createSession call, allowed or not
        self.refreshes = 0
        self.handles = {handle: self.did}
        self.records: dict[tuple[str, str], dict[str, Any]] = {}  # (did, rkey) -> stored
        self._access: dict[str, str] = {}  # access jti -> did
        self._refresh: dict[str, str] = {}  # live refresh jti -> did
        self._rotated: dict[str, tuple[datetime, dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._state = threading.RLock()
        for name, handler in {
            "POST com.atproto.server.createSession": self._create_session,
            "POST com.atproto.server.refreshSession": self._refresh_session,
            "GET com.atproto.server.getSession": self._get_session,
            "POST com.atproto.repo.createRecord": self._create_record,
            "POST com.atproto.repo.putRecord": self._put_record,
            "GET com.atproto.repo.getRecord": self._get_record,
            "GET com.atproto.repo.listRecords": self._list_records,
            "POST com.atproto.repo.deleteRecord": self._delete_record,
            "GET app.bsky.feed.searchPosts": self._search_posts,
            "GET app.bsky.actor.getProfile": self._get_profile,
        }.items():
            method, nsid = name.split(" ")
            self.route(f"{method} /xrpc/{nsid}", handler)
        self.route("GET /_fake/posts", lambda _: FakeResponse(200, self.own_texts()))

    # -- scripting ----------------------------------------------------------------------

    def add_post(
        self, text: str, *, handle: str = "someone.test", created_at: datetime | None = None,
        reply_to: str | None = None,
    ) -> str:  # fmt: skip
        """A post by ``handle`` with tag facets (a reply to the URI ``reply_to``); its URI."""
        did = self.handles.setdefault(handle, f"did:plc:fakeother{len(self.handles):017d}")
        when = created_at or self.clock()
        record = {"$type": POST, "text": text, "createdAt": iso(when), "facets": tag_facets(text)}
        with self._state:
            if reply_to is not None:
                record["reply"] = reply_ref(
                    next(r for r in self.records.values() if r["uri"] == reply_to)
                )
            return self._store(did, new_tid(when, next(self._ids)), record)["uri"]

    def own_posts(self) -> list[dict[str, Any]]:
        """The host's post records (value, uri, rkey), oldest rkey first."""
        with self._state:
            mine = [r for (did, _), r in self.records.items() if did == self.did]
        return sorted(mine, key=lambda r: r["rkey"])

    def own_texts(self) -> list[str]:
        """The texts the host posted, oldest first."""
        return [r["value"]["text"] for r in self.own_posts()]

    def expire_access_tokens(self) -> None:
        """Make every access token issued so far expired (as if hours had passed)."""
        with self._state:
            self._access.clear()

    # -- sessions -----------------------------------------------------------------------

    def _tokens(self, did: str) -> dict[str, Any]:
        now = self.clock()
        access_id, refresh_id = f"a{next(self._ids)}", f"r{next(self._ids)}"
        common = {"sub": did, "aud": "did:web:pds.fake", "iat": int(now.timestamp())}
        self._access[access_id] = did
        self._refresh[refresh_id] = did
        access = {**common, "scope": "com.atproto.appPass", "jti": access_id}
        refresh = {**common, "scope": REFRESH_SCOPE, "jti": refresh_id}
        access["exp"] = int((now + self.access_ttl).timestamp())
        refresh["exp"] = int((now + self.refresh_ttl).timestamp())
        handle = next(h for h, d in self.handles.items() if d == did)
        return {
            "did": did,
            "handle": handle,
            "accessJwt": jwt("access", access),
            "refreshJwt": jwt("refresh", refresh),
            "active": True,
        }

    def _login_limited(self, now: datetime) -> FakeResponse | None:
        recent = [t for t in self.logins if now - t < timedelta(minutes=5)]
        today = [t for t in self.logins if now - t < timedelta(days=1)]
        for window, limit, seconds in (
            (recent, LOGINS_PER_5_MIN, 300),
            (today, LOGINS_PER_DAY, 86400),
        ):
            if len(window) > limit:
                reset = int((min(window) + timedelta(seconds=seconds)).timestamp())
                return xrpc_error(
                    429,
                    "RateLimitExceeded",
                    "Rate Limit Exceeded",
                    **{
                        "ratelimit-limit": str(limit),
                        "ratelimit-remaining": "0",
                        "ratelimit-reset": str(reset),
                        "ratelimit-policy": f"{limit};w={seconds}",
                    },
                )
        return None

    def _create_session(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        now = self.clock()
        with self._state:
            self.logins.append(now)
            limited = self._login_limited(now)
            if limited is not None:
                return limited
            did = self.handles.get(str(body.get("identifier", "")).lstrip("@"))
            if did != self.did or body.get("password") != self.app_password:
                return xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password")
            return FakeResponse(200, self._tokens(did))

    def _refresh_session(self, request: FakeRequest) -> FakeResponse:
        claims, problem = self._claims(request, REFRESH_SCOPE)
        if problem is not None:
            return problem
        jti = str(claims["jti"])
        with self._state:
            if jti in self._rotated:
                when, pair = self._rotated[jti]
                if self.clock() - when < REFRESH_GRACE:
                    return FakeResponse(200, pair)
                return xrpc_error(400, "ExpiredToken", "Token has been revoked")
            did = self._refresh.pop(jti, None)
            if did is None:
                return xrpc_error(400, "ExpiredToken", "Token has been revoked")
            self.refreshes += 1
            pair = self._tokens(did)
            self._rotated[jti] = (self.clock(), pair)
            return FakeResponse(200, pair)

    def _get_session(self, request: FakeRequest) -> FakeResponse:
        did = self._caller(request)
        handle = next(h for h, d in self.handles.items() if d == did)
        return FakeResponse(200, {"did": did, "handle": handle, "active": True})

    def _claims(
        self, request: FakeRequest, scope: str
    ) -> tuple[dict[str, Any], FakeResponse | None]:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return {}, xrpc_error(401, "AuthenticationRequired", "Authentication Required")
        claims = jwt_payload(header.removeprefix("Bearer "))
        if claims is None or "jti" not in claims:
            return {}, xrpc_error(400, "InvalidToken", "Token could not be verified")
        if (claims.get("scope") == REFRESH_SCOPE) != (scope == REFRESH_SCOPE):
            return {}, xrpc_error(400, "InvalidToken", "Bad token scope")
        if int(claims.get("exp", 0)) <= self.clock().timestamp():
            return {}, xrpc_error(400, "ExpiredToken", "Token has expired")
        return claims, None

    def check_auth(self, request: FakeRequest) -> FakeResponse | None:
        """Every call but createSession/refreshSession needs a live access token."""
        if request.route.endswith(_AUTH_FREE) or request.path.startswith("/_fake/"):
            return None
        claims, problem = self._claims(request, "access")
        if problem is not None:
            return problem
        with self._state:
            if str(claims["jti"]) not in self._access:
                return xrpc_error(400, "ExpiredToken", "Token has expired")
        return None

    def _caller(self, request: FakeRequest) -> str:
        claims = jwt_payload(request.headers["Authorization"].removeprefix("Bearer ")) or {}
        return str(claims["sub"])

    # -- records --------------------------------------------------------------------------

    def _store(self, did: str, rkey: str, record: dict[str, Any]) -> dict[str, Any]:
        stored = {
            "uri": f"at://{did}/{POST}/{rkey}",
            "cid": cid_of(record),
            "rkey": rkey,
            "value": record,
            "indexedAt": iso(self.clock()),
        }
        self.records[(did, rkey)] = stored
        return stored

    def _write_problem(self, request: FakeRequest, body: dict[str, Any]) -> FakeResponse | None:
        if body.get("repo") not in (self._caller(request), self.handle):
            return xrpc_error(400, "InvalidRequest", "Invalid repo: not the signed-in account")
        if body.get("collection") != POST:
            return xrpc_error(400, "InvalidRequest", f"This fake stores only {POST} records")
        record = body.get("record")
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            return xrpc_error(400, "InvalidRequest", f"Invalid {POST} record: Record/text")
        if "createdAt" not in record:
            return xrpc_error(400, "InvalidRequest", 'Record must have the property "createdAt"')
        if len(record["text"].encode()) > 3000:
            return xrpc_error(
                400, "InvalidRequest", "Record/text must not be longer than 3000 characters"
            )
        rkey = body.get("rkey")
        if rkey is not None and not TID_RE.match(str(rkey)):
            return xrpc_error(400, "InvalidRequest", f"Invalid record key: {rkey}")
        return None

    def _create_record(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        problem = self._write_problem(request, body)
        if problem is not None:
            return problem
        did = self._caller(request)
        with self._state:
            rkey = str(body.get("rkey") or new_tid(self.clock(), next(self._ids)))
            if (did, rkey) in self.records:
                return xrpc_error(500, "InternalServerError", "Internal Server Error")
            stored = self._store(did, rkey, {"$type": POST, **body["record"]})
        return FakeResponse(200, self._write_answer(stored))

    def _put_record(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        problem = self._write_problem(request, body)
        if problem is not None:
            return problem
        if not body.get("rkey"):
            return xrpc_error(400, "InvalidRequest", 'Input must have the property "rkey"')
        with self._state:
            stored = self._store(
                self._caller(request), body["rkey"], {"$type": POST, **body["record"]}
            )
        return FakeResponse(200, self._write_answer(stored))

    def _write_answer(self, stored: dict[str, Any]) -> dict[str, Any]:
        commit = {"cid": cid_of(stored["uri"]), "rev": stored["rkey"]}
        return {
            "uri": stored["uri"],
            "cid": stored["cid"],
            "commit": commit,
            "validationStatus": "valid",
        }

    def _did_of(self, name: str) -> str | None:
        return name if name in self.handles.values() else self.handles.get(name)

    def _repo_did(self, request: FakeRequest) -> str | None:
        return self._did_of(request.arg("repo") or "")

    def _get_record(self, request: FakeRequest) -> FakeResponse:
        did, rkey = self._repo_did(request), request.arg("rkey") or ""
        with self._state:
            stored = self.records.get((did or "", rkey))
        if stored is None or request.arg("collection") != POST:
            uri = f"at://{request.arg('repo')}/{request.arg('collection')}/{rkey}"
            return xrpc_error(400, "RecordNotFound", f"Could not locate record: {uri}")
        return FakeResponse(200, {k: stored[k] for k in ("uri", "cid", "value")})

    def _list_records(self, request: FakeRequest) -> FakeResponse:
        did = self._repo_did(request)
        limit = max(1, min(100, int(request.arg("limit") or 50)))
        reverse = request.arg("reverse") == "true"
        cursor = request.arg("cursor")
        with self._state:
            mine = sorted(
                (r for (d, _), r in self.records.items() if d == did),
                key=lambda r: r["rkey"],
                reverse=not reverse,
            )
        if cursor:
            mine = [r for r in mine if (r["rkey"] > cursor if reverse else r["rkey"] < cursor)]
        shown = mine[:limit]
        body: dict[str, Any] = {
            "records": [{k: r[k] for k in ("uri", "cid", "value")} for r in shown]
        }
        if len(mine) > limit:
            body["cursor"] = shown[-1]["rkey"]
        return FakeResponse(200, body)

    def _delete_record(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        with self._state:
            self.records.pop((self._caller(request), str(body.get("rkey"))), None)
        return FakeResponse(200, {"commit": {"cid": cid_of(body), "rev": "rev"}})

    # -- reading ------------------------------------------------------------------------

    def _profile(self, did: str) -> dict[str, Any]:
        handle = next(h for h, d in self.handles.items() if d == did)
        return {"did": did, "handle": handle, "displayName": handle.split(".")[0].title()}

    def _get_profile(self, request: FakeRequest) -> FakeResponse:
        did = self._did_of(request.arg("actor") or "")
        if did is None:
            return xrpc_error(400, "InvalidRequest", "Profile not found")
        return FakeResponse(200, {**self._profile(did), "postsCount": 0})

    def _search_posts(self, request: FakeRequest) -> FakeResponse:
        query = (request.arg("q") or "").strip()
        if not query:
            return xrpc_error(400, "InvalidRequest", 'Error: Params must have the property "q"')
        tags = {t.lower().lstrip("#") for t in request.query.get("tag", [])}
        since, until = request.arg("since"), request.arg("until")
        limit = max(1, min(100, int(request.arg("limit") or 25)))
        offset = int(request.arg("cursor") or 0)
        words = [w.lower() for w in query.split() if w != "*"]
        with self._state:
            found = []
            for (did, _), stored in self.records.items():
                record = stored["value"]
                created = parse_time(record["createdAt"])
                if tags and not tags <= record_tags(record):
                    continue
                if any(w.lstrip("#") not in record["text"].lower() for w in words):
                    continue
                if (since and created < parse_time(since)) or (
                    until and created >= parse_time(until)
                ):
                    continue
                found.append((created, did, stored))
        found.sort(key=lambda f: f[0], reverse=True)
        shown = found[offset : offset + limit]
        posts = [
            {
                "uri": s["uri"],
                "cid": s["cid"],
                "author": self._profile(did),
                "record": s["value"],
                "replyCount": 0,
                "repostCount": 0,
                "likeCount": 0,
                "quoteCount": 0,
                "indexedAt": s["indexedAt"],
                "labels": [],
            }
            for _, did, s in shown
        ]
        body: dict[str, Any] = {"posts": posts, "hitsTotal": len(found)}
        if offset + limit < len(found):
            body["cursor"] = str(offset + limit)
        return FakeResponse(200, body)
