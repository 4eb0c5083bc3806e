"""Who is calling: the `caller` dependency, and role checks for the routes that need them.

With API keys not required (the embedded default for local use) every request runs
as the local anonymous user."""

from dataclasses import dataclass

from fastapi import Depends

from serve.errors import Forbidden

LOCAL_USER = "local"


@dataclass(frozen=True)
class Caller:
    user_id: str
    roles: frozenset[str]
    key_id: str | None = None


async def caller() -> Caller:
    return Caller(LOCAL_USER, frozenset({"writer", "admin"}))


def require(role: str):
    """A dependency that answers 403 unless the caller has `role`; gives the Caller."""

    async def has_role(who: Caller = Depends(caller)) -> Caller:
        if role not in who.roles:
            raise Forbidden(f"this needs the {role!r} role; the key has {sorted(who.roles)}")
        return who

    return Depends(has_role)
