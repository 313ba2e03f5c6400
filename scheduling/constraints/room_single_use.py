"""One session per room at a time: sessions whose slots overlap never share a room (sessions already
open outside this sub-problem count as occupied)."""

from __future__ import annotations

from collections import defaultdict

from scheduling.context import PlacementContext, total

NAME = "One session per room at a time"
STAGE = "placement"


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def post(ctx: PlacementContext) -> None:
    index = ctx.index
    # room -> (date, start, end) -> open literals of sessions in that room and slot
    by_room: dict[str, dict[tuple[str, int, int], list[object]]] = defaultdict(lambda: defaultdict(list))
    for sid, ref in ctx.universe.items():
        if sid in ctx.open:
            slot = index.slot[ref.slot_id]
            by_room[ref.room_id][(slot.date, slot.start_min, slot.end_min)].append(ctx.open[sid])
    for room_id, groups in by_room.items():
        busy = [index.slot[index.ref(sid).slot_id] for sid in ctx.busy_rooms.get(room_id, [])]
        keys = list(groups)
        for date, start, _ in keys:
            covering = [v for (d, s, e) in keys if d == date and s <= start < e for v in groups[(d, s, e)]]
            blocked = sum(1 for b in busy if b.date == date and b.start_min <= start < b.end_min)
            if len(covering) + blocked > 1 and any(not isinstance(v, int) for v in covering):
                ctx.model.add(total(covering) <= 1 - min(1, blocked)).only_enforce_if(ctx.guard(NAME))
        for b in busy:  # a busy slot starting inside one of ours also blocks it
            for d, s, e in keys:
                if d == b.date and s < b.start_min < e:
                    for v in groups[(d, s, e)]:
                        if not isinstance(v, int):
                            ctx.model.add(v == 0).only_enforce_if(ctx.guard(NAME))
