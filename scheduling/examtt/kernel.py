"""Compiled incremental local search (simulated annealing) over complete feasible timetables.

Every move is built from two primitives, ``_remove`` and ``_add``, that update the incremental
state and return the exact change of the soft penalty: ``relocate`` removes a move's exams and
re-adds them at their targets, checking hard constraints against the current state.  Most moves are
refused, so the annealer first prices a move without making it (``price``: hard rules, rooms and
penalty change as ``relocate`` would find them, one pass over the moving exams' neighbours instead of
four) and makes it only when accepted; a Kempe chain, the costliest move, is priced in the same pass that
grows it (``_kempe_chain``), and a period swap from the students between periods (``_period_swap``).
The search follows exactly the same path as making and undoing every move, only faster
(``benchmarks/examtt_moves.py``).  Hard constraints are never violated, so only the soft penalty is
tracked.  The state:

* ``conf[e, p]``: neighbours (exams sharing a student) of e placed in period p, so the student
  conflict check is O(1) and Kempe chains are cheap to grow;
* ``load/occ/excl[p, r]``: seats used, exams and room-exclusive exams per period and room;
* ``dcnt[p, r, d]`` and ``ndist[p, r]``: exams per duration class, distinct classes (mixed durations);
* ``between[p, q]``: the students shared by each exam of period p with each of period q, summed
  (symmetric), so the student penalty of exchanging two whole periods is a sum over the other periods,
  not over the moving exams' neighbours.

Moves (``_propose``): shift an exam (with its coincidence group) to another period and/or room,
change its room, swap two exams, a Kempe chain between two periods, and a period swap that
exchanges everything in two periods (rooms kept), which reorders whole periods: on an instance
with one room and few periods (ITC set 4) the order of the periods is much of the penalty.  An exam that
changes period (shift, swap, Kempe chain) goes to the cheapest room that fits it there, the tightest of
those, so that the large rooms stay free for large exams; only the room-change move picks a room at
random.  (Measured at a fixed number of moves against a random first-fit room, one seed per set at 10
million moves: lower on all seven sets with more than one room, for example set 1 4613 -> 4457 (two
seeds, 20 million), set 3 8641 -> 8369, set 6 26555 -> 26045, set 8 7420 -> 7163; moves per second
unchanged.)

``S`` is the tuple of static arrays built by :func:`static_arrays`, ``X`` the mutable state.  Numba passes
both tuples (28 arrays) by value on every call LLVM does not inline, so the functions on the pricing path
are inlined by numba itself (``inline="always"``; with the Kempe chain priced as it grows, 1.06 to 1.54
times as many moves per second, ``benchmarks/examtt_moves.py``), for a cold compile of about 22 s instead
of 15 (``warm_up``; then numba's disk cache).  Inlining every kernel compiles in 31 s for no more speed.
(Those compile times were measured with reference counting on; with it off, as below, three cold
``warm_up`` calls took 22 to 28 s on a 2-core Intel Xeon.)

The kernels run without numba's reference counting (``_kernel``): with it, every array an inlined helper
takes out of ``S`` or ``X`` cost an atomic increment and decrement that numba's pruning pass does not
remove across branches, most of the time of a move (2 to 4.5 times as many moves per second without it
on the eight ITC2007 sets, the same moves, ``benchmarks/examtt_moves.py``).  So a kernel may not allocate
(no ``np.empty``, no slice copy): the Python entry points ``anneal`` and ``sample_deltas`` hand in the
move buffers.  Without numba the same code runs as plain Python (slow, but correct) so the package still
works.
"""

from __future__ import annotations

import numpy as np

try:  # pragma: no cover - exercised implicitly
    from numba import njit
except ImportError:  # pragma: no cover
    def njit(*args, **kwargs):  # type: ignore[no-redef]
        """Fallback decorator: run the kernels as plain Python."""
        if len(args) == 1 and callable(args[0]):
            return args[0]
        return lambda f: f

from scheduling.examtt.data import REL_AFTER, REL_BEFORE, REL_SAME, ProblemData

MOVE_SHIFT, MOVE_ROOM, MOVE_SWAP, MOVE_KEMPE, MOVE_PERIODS = 0, 1, 2, 3, 4
_R_AFTER, _R_BEFORE, _R_SAME = REL_AFTER, REL_BEFORE, REL_SAME
KEMPE_LIMIT = 64
UNPRICED = -(1 << 62)  # a move whose student penalty change is not known yet


def _kernel(inline: bool = False):
    """Compile a kernel: cached on disk, releasing the GIL, without reference counting (it allocates
    nothing), inlined into its callers by numba where ``inline``."""
    return njit(cache=True, nogil=True, _nrt=False, inline="always" if inline else "never")


def static_arrays(data: ProblemData) -> tuple:
    """The read-only tuple ``S`` passed to every kernel."""
    par = np.array([data.mixed_weight, data.front_threshold, data.front_weight,
                    data.n_periods, data.n_rooms, data.n_exams], dtype=np.int64)
    return (data.size, data.duration_class, data.allowed, data.period_penalty, data.room_capacity,
            data.room_penalty, data.exclusive, data.large, data.pair_cost, data.adj_ptr,
            data.adj_idx, data.adj_w, data.rel_ptr, data.rel_other, data.rel_kind, data.group_ptr,
            data.group_members, data.group, par)


def empty_state(data: ProblemData) -> tuple:
    """The mutable tuple ``X`` for an empty timetable."""
    e, p, r = data.n_exams, data.n_periods, data.n_rooms
    return (np.full(e, -1, dtype=np.int64), np.full(e, -1, dtype=np.int64),
            np.zeros((e, p), dtype=np.int32), np.zeros((p, r), dtype=np.int64),
            np.zeros((p, r), dtype=np.int64), np.zeros((p, r), dtype=np.int64),
            np.zeros((p, r, data.n_duration_classes), dtype=np.int64),
            np.zeros((p, r), dtype=np.int64), np.zeros((p, p), dtype=np.int64))


@_kernel()
def _pair(e, p, S, X):
    """The student-spread penalty of e in period p against its placed neighbours."""
    period = X[0]
    adj_ptr, adj_idx, adj_w, pc = S[9], S[10], S[11], S[8]
    total = 0
    for k in range(adj_ptr[e], adj_ptr[e + 1]):
        q = period[adj_idx[k]]
        if q >= 0:
            total += adj_w[k] * pc[p, q]
    return total


@_kernel(inline=True)
def _own(e, p, r, S):
    """Penalties of e at (p, r) that do not depend on other exams."""
    par = S[18]
    cost = S[3][p] + S[5][r]
    if S[7][e] and p >= par[1]:
        cost += par[2]
    return cost


@_kernel()
def _pair_and_count(e, p, step, S, X):
    """``_pair(e, p)``, and each neighbour's count of neighbours in p and the students between p and the
    neighbours' periods moved by ``step`` (e joins or leaves p), in one pass."""
    period, conf, between = X[0], X[2], X[8]
    adj_ptr, adj_idx, adj_w, pc = S[9], S[10], S[11], S[8]
    total = 0
    for k in range(adj_ptr[e], adj_ptr[e + 1]):
        j = adj_idx[k]
        q = period[j]
        if q >= 0:
            total += adj_w[k] * pc[p, q]
            between[p, q] += step * adj_w[k]
            between[q, p] += step * adj_w[k]
        conf[j, p] += step
    return total


@_kernel(inline=True)
def _room_out(e, p, r, S, X):
    """Take e out of room r of period p in the room counts; returns the change of its own and
    mixed-durations penalties (the student penalties and ``period`` are left to the caller)."""
    load, occ, excl, dcnt, ndist = X[3], X[4], X[5], X[6], X[7]
    d = S[1][e]
    delta = -_own(e, p, r, S)
    dcnt[p, r, d] -= 1
    if dcnt[p, r, d] == 0:
        ndist[p, r] -= 1
        if ndist[p, r] >= 1:
            delta -= S[18][0]
    load[p, r] -= S[0][e]
    occ[p, r] -= 1
    if S[6][e]:
        excl[p, r] -= 1
    return delta


@_kernel(inline=True)
def _room_in(e, p, r, S, X):
    """The inverse of ``_room_out``."""
    load, occ, excl, dcnt, ndist = X[3], X[4], X[5], X[6], X[7]
    d = S[1][e]
    delta = _own(e, p, r, S)
    if dcnt[p, r, d] == 0:
        ndist[p, r] += 1
        if ndist[p, r] >= 2:
            delta += S[18][0]
    dcnt[p, r, d] += 1
    load[p, r] += S[0][e]
    occ[p, r] += 1
    if S[6][e]:
        excl[p, r] += 1
    return delta


@_kernel()
def _remove(e, S, X):
    period = X[0]
    p = period[e]
    delta = -_pair_and_count(e, p, -1, S, X) + _room_out(e, p, X[1][e], S, X)
    period[e] = -1
    return delta


@_kernel()
def _add(e, p, r, S, X):
    delta = _pair_and_count(e, p, 1, S, X) + _room_in(e, p, r, S, X)
    X[0][e] = p
    X[1][e] = r
    return delta


@_kernel()
def _period_ok(e, p, S, X):
    """Hard constraints of e in period p that do not involve its room."""
    period = X[0]
    if not S[2][e, p] or X[2][e, p] != 0:
        return False
    rel_ptr, rel_other, rel_kind = S[12], S[13], S[14]
    for k in range(rel_ptr[e], rel_ptr[e + 1]):
        q = period[rel_other[k]]
        if q >= 0 and not _related_ok(rel_kind[k], p, q):
            return False
    return True


@_kernel()
def _related_ok(kind, p, q):
    """Whether an exam in period p keeps relation ``kind`` with one in period q."""
    if kind == _R_AFTER:
        return p > q
    if kind == _R_BEFORE:
        return p < q
    if kind == _R_SAME:
        return p == q
    return p != q


@_kernel(inline=True)
def _room_ok(e, p, r, S, X):
    if X[3][p, r] + S[0][e] > S[4][r]:
        return False
    if S[6][e]:
        return X[4][p, r] == 0
    return X[5][p, r] == 0


@_kernel(inline=True)
def _find_room(e, p, preferred, S, X):
    """The cheapest room for e in p (room penalty plus a mixed-durations penalty), ``preferred`` on a
    tie, else the tightest fit; -1 if none fits."""
    n_rooms = S[18][4]
    d = S[1][e]
    best, best_cost, best_left = -1, 1 << 60, 1 << 60
    for r in range(n_rooms):
        if not _room_ok(e, p, r, S, X):
            continue
        cost = S[5][r]
        if X[7][p, r] >= 1 and X[6][p, r, d] == 0:
            cost += S[18][0]
        left = S[4][r] - X[3][p, r] - S[0][e]
        if r == preferred:
            left = -1
        if cost < best_cost or (cost == best_cost and left < best_left):
            best, best_cost, best_left = r, cost, left
    return best


@_kernel()
def relocate(n, ex, tp, tr, oldp, oldr, search, S, X):
    """Move exams ``ex[:n]`` to periods ``tp`` and rooms ``tr`` (another room if ``search``).

    Returns (ok, delta).  On failure the state is restored and delta is 0.
    """
    period, room = X[0], X[1]
    for i in range(n):
        oldp[i] = period[ex[i]]
        oldr[i] = room[ex[i]]
    delta = 0
    for i in range(n):
        delta += _remove(ex[i], S, X)
    for i in range(n):
        e = ex[i]
        r = -1
        if _period_ok(e, tp[i], S, X):
            if search:
                r = _find_room(e, tp[i], tr[i], S, X)
            elif _room_ok(e, tp[i], tr[i], S, X):
                r = tr[i]
        if r < 0:
            for j in range(i):
                _remove(ex[j], S, X)
            for j in range(n):
                _add(ex[j], oldp[j], oldr[j], S, X)
            return False, 0
        tr[i] = r
        delta += _add(e, tp[i], r, S, X)
    return True, delta


@_kernel()
def _relations_ok(x, p, p1, p2, mark, stamp, S, X):
    """The period relations of x in period p once the marked exams have traded periods p1 and p2 (each
    marked exam in p1 or p2 ends in the other one)."""
    period = X[0]
    rel_ptr, rel_other, rel_kind = S[12], S[13], S[14]
    for k in range(rel_ptr[x], rel_ptr[x + 1]):
        j = rel_other[k]
        if j == x:
            continue
        q = period[j]
        if mark[j] == stamp:
            q = p1 + p2 - q
        if not _related_ok(rel_kind[k], p, q):
            return False
    return True


@_kernel(inline=True)
def price(n, ex, tp, tr, search, mark, stamp, S, X):
    """What ``relocate(n, ex, tp, tr, ..., search)`` would do, without moving anything: (feasible,
    delta), with the rooms it would choose written to ``tr``.  Then ``relocate`` with ``search`` off
    makes the move exactly.  Most moves are refused, so pricing first saves moving every exam and its
    neighbours' counts out and back.

    For the moves ``_propose`` makes: the exams either keep their period (a room change), all go to one
    period they share no student with (a shift of a coincidence group), or trade two periods (a swap,
    a Kempe chain, a period swap), so two moving exams that share students keep the same pair cost.
    ``stamp`` must be new: it marks the moving exams.  (The annealer prices a Kempe chain as it grows it
    instead, in ``_kempe_chain``.)"""
    period, conf, allowed = X[0], X[2], S[2]
    pc, adj_ptr, adj_idx, adj_w = S[8], S[9], S[10], S[11]
    for i in range(n):
        mark[ex[i]] = stamp
    p1, p2 = period[ex[0]], tp[0]  # every moving exam in one of them goes to the other (or stays)
    delta = 0
    for i in range(n):
        x, p = ex[i], tp[i]
        if p == period[x]:  # a room change: same students, same relations
            continue
        if not allowed[x, p] or not _relations_ok(x, p, p1, p2, mark, stamp, S, X):
            return False, 0
        moving_there = 0
        for k in range(adj_ptr[x], adj_ptr[x + 1]):
            j = adj_idx[k]
            q = period[j]
            if mark[j] == stamp:
                if q == p:
                    moving_there += 1
            elif q >= 0:
                delta += adj_w[k] * (pc[p, q] - pc[period[x], q])
        if conf[x, p] != moving_there:  # a neighbour stays in the period x would join
            return False, 0
    return _price_rooms(n, ex, tp, tr, search, delta, S, X)


@_kernel(inline=True)
def _price_rooms(n, ex, tp, tr, search, delta, S, X):
    """The room half of ``price``: (feasible, ``delta`` plus the change of the room, own and mixed-durations
    penalties), the rooms chosen written to ``tr``, nothing moved."""
    period, room = X[0], X[1]
    for i in range(n):
        delta += _room_out(ex[i], period[ex[i]], room[ex[i]], S, X)
    placed = 0
    for i in range(n):
        x, p = ex[i], tp[i]
        if search:
            r = _find_room(x, p, tr[i], S, X)
        else:
            r = tr[i] if _room_ok(x, p, tr[i], S, X) else -1
        if r < 0:
            break
        tr[i] = r
        delta += _room_in(x, p, r, S, X)
        placed += 1
    for i in range(placed):  # the room counts as they were
        _room_out(ex[i], tp[i], tr[i], S, X)
    for i in range(n):
        _room_in(ex[i], period[ex[i]], room[ex[i]], S, X)
    if placed < n:
        return False, 0
    return True, delta


@_kernel()
def undo(n, ex, oldp, oldr, S, X):
    """Put exams ``ex[:n]`` back where ``relocate`` found them."""
    for i in range(n):
        _remove(ex[i], S, X)
    for i in range(n):
        _add(ex[i], oldp[i], oldr[i], S, X)


@_kernel()
def place_all(period, room, S, X):
    """Load a complete assignment into the empty state; returns its soft penalty."""
    total = 0
    for e in range(period.shape[0]):
        total += _add(e, period[e], room[e], S, X)
    return total


@_kernel()
def _other_period(p, n_periods):
    q = np.random.randint(n_periods - 1)
    return q + 1 if q >= p else q


@_kernel(inline=True)
def _kempe_chain(e, p2, ex, tp, tr, mark, stamp, S, X):
    """Grow the Kempe chain of e between its period and p2 and price its student penalties as it grows:
    returns (size, delta), size 0 if the chain is unusable (too long, a coincidence group, a period an
    exam may not take, a broken period relation).

    Every neighbour of a chain exam in the period it goes to joins the chain, and none sits in the period
    it leaves, so each neighbour seen is either in the chain (the pair trades periods: same cost) or
    stays outside both periods: one pass over the neighbours both grows and prices the chain, where
    growing and then ``price`` take two.  Rooms are left to ``_price_rooms``."""
    period, room, allowed = X[0], X[1], S[2]
    pc, adj_ptr, adj_idx, adj_w, gptr, group = S[8], S[9], S[10], S[11], S[15], S[17]
    p1 = period[e]
    ex[0] = e
    mark[e] = stamp
    n = 1
    i = 0
    delta = 0
    while i < n:
        x = ex[i]
        if gptr[group[x] + 1] - gptr[group[x]] > 1:
            return 0, 0
        own = period[x]
        other = p2 if own == p1 else p1
        if not allowed[x, other]:
            return 0, 0
        tp[i] = other
        tr[i] = room[x]
        for k in range(adj_ptr[x], adj_ptr[x + 1]):
            j = adj_idx[k]
            q = period[j]
            if q == other:
                if mark[j] != stamp:
                    if n >= KEMPE_LIMIT:
                        return 0, 0
                    mark[j] = stamp
                    ex[n] = j
                    n += 1
            elif q >= 0:
                delta += adj_w[k] * (pc[other, q] - pc[own, q])
        i += 1
    rel_ptr = S[12]
    for i in range(n):  # relations once the whole chain is marked
        x = ex[i]
        if rel_ptr[x + 1] > rel_ptr[x] and not _relations_ok(x, tp[i], p1, p2, mark, stamp, S, X):
            return 0, 0
    return n, delta


@_kernel(inline=True)
def _period_swap(p1, p2, ex, tp, tr, mark, stamp, S, X):
    """Every exam of period p1 to p2 and every exam of p2 to p1, each in its own room, with its student
    penalty change: returns (size, delta), size 0 if an exam may not take its new period or a period
    relation breaks.

    Two exams of the two periods share no student, and every other pair keeps its periods or trades
    them together, so the change is the students between each moving period and every other period q
    priced at the new distance instead of the old one: O(periods) from ``between``, where pricing the
    exams one by one goes over all their neighbours.  Rooms are left to ``_price_rooms``."""
    period, room, allowed = X[0], X[1], S[2]
    n = 0
    for x in range(period.shape[0]):
        q = period[x]
        if q == p1 or q == p2:
            other = p2 if q == p1 else p1
            if not allowed[x, other]:
                return 0, 0
            mark[x] = stamp
            ex[n] = x
            tp[n] = other
            tr[n] = room[x]
            n += 1
    rel_ptr = S[12]
    for i in range(n):
        x = ex[i]
        if rel_ptr[x + 1] > rel_ptr[x] and not _relations_ok(x, tp[i], p1, p2, mark, stamp, S, X):
            return 0, 0
    between, pc = X[8], S[8]
    delta = 0
    for q in range(between.shape[0]):
        if q != p1 and q != p2:
            delta += (between[p1, q] - between[p2, q]) * (pc[p2, q] - pc[p1, q])
    return n, delta


@_kernel()
def _pick_move(move_cdf):
    u = np.random.random()
    kind = 0
    while kind < move_cdf.shape[0] - 1 and u >= move_cdf[kind]:
        kind += 1
    return kind


def _buffers(n_exams: int) -> tuple:
    """Move buffers: exams, target periods and rooms, old periods and rooms (a period swap can
    move every exam).  Allocated here, outside the kernels, which run without reference counting."""
    size = max(KEMPE_LIMIT, n_exams)
    return tuple(np.empty(size, dtype=np.int64) for _ in range(5))


@_kernel(inline=True)
def _propose(kind, ex, tp, tr, mark, stamp, S, X):
    """Fill the move buffers for a random move of ``kind``; returns (n, room search, student delta), n = 0
    if there is no such move.  The student delta is known (not ``UNPRICED``) for a Kempe chain, priced as
    it grows, and a period swap, priced from the students between periods."""
    period, room = X[0], X[1]
    par, gptr, gmem, group = S[18], S[15], S[16], S[17]
    n_periods, n_rooms, n_exams = par[3], par[4], par[5]
    e = np.random.randint(n_exams)
    single = gptr[group[e] + 1] - gptr[group[e]] == 1
    if kind == MOVE_SHIFT:
        p2 = _other_period(period[e], n_periods)
        n = 0
        for k in range(gptr[group[e]], gptr[group[e] + 1]):
            x = gmem[k]
            ex[n] = x
            tp[n] = p2
            tr[n] = np.random.randint(n_rooms) if single and np.random.random() < 0.5 else room[x]
            n += 1
        return n, True, UNPRICED
    if not single:
        return 0, False, UNPRICED
    if kind == MOVE_ROOM:
        if n_rooms < 2:
            return 0, False, UNPRICED
        ex[0] = e
        tp[0] = period[e]
        tr[0] = _other_period(room[e], n_rooms)
        return 1, False, UNPRICED
    if kind == MOVE_SWAP:
        f = np.random.randint(n_exams)
        if period[f] == period[e] or gptr[group[f] + 1] - gptr[group[f]] != 1:
            return 0, False, UNPRICED
        ex[0], tp[0], tr[0] = e, period[f], room[f]
        ex[1], tp[1], tr[1] = f, period[e], room[e]
        return 2, True, UNPRICED
    p2 = _other_period(period[e], n_periods)
    if kind == MOVE_KEMPE:
        n, delta = _kempe_chain(e, p2, ex, tp, tr, mark, stamp, S, X)
        return n, True, delta
    n, delta = _period_swap(period[e], p2, ex, tp, tr, mark, stamp, S, X)
    return n, False, delta


def anneal(S, X, n_iter, t_start, t_end, cur, best, best_period, best_room, move_cdf, seed, mark):
    """Simulated annealing for ``n_iter`` iterations, temperature geometric from t_start to t_end.

    Returns (current penalty, best penalty, accepted moves).  ``best_*`` receive every new best.
    """
    return _anneal(S, X, _buffers(X[0].shape[0]), n_iter, t_start, t_end, cur, best, best_period, best_room,
                   move_cdf, seed, mark)


@_kernel()
def _anneal(S, X, B, n_iter, t_start, t_end, cur, best, best_period, best_room, move_cdf, seed, mark):
    np.random.seed(seed)
    ex, tp, tr, oldp, oldr = B
    ratio = (t_end / t_start) ** (1.0 / max(1, n_iter))
    temp = t_start
    accepted = 0
    for it in range(n_iter):
        temp *= ratio
        kind = _pick_move(move_cdf)
        mark_stamp = mark[-1] + 1
        mark[-1] = mark_stamp
        n, search, students = _propose(kind, ex, tp, tr, mark, mark_stamp, S, X)
        if n == 0:
            continue
        # Price the move first and make it only when accepted (most are not), instead of making it,
        # pricing it and moving everything back.
        if students == UNPRICED:
            ok, delta = price(n, ex, tp, tr, search, mark, mark_stamp, S, X)
        else:
            ok, delta = _price_rooms(n, ex, tp, tr, search, students, S, X)
        if not ok:
            continue
        if delta <= 0 or np.random.random() < np.exp(-delta / temp):
            relocate(n, ex, tp, tr, oldp, oldr, False, S, X)
            cur += delta
            accepted += 1
            if cur < best:
                best = cur
                for x in range(best_period.shape[0]):  # (a slice copy would need numba's allocator)
                    best_period[x] = X[0][x]
                    best_room[x] = X[1][x]
    return cur, best, accepted


def sample_deltas(S, X, n_samples, move_cdf, seed, mark):
    """Mean positive delta of random feasible moves (applied and undone): sets the temperature."""
    return _sample_deltas(S, X, _buffers(X[0].shape[0]), n_samples, move_cdf, seed, mark)


@_kernel()
def _sample_deltas(S, X, B, n_samples, move_cdf, seed, mark):
    np.random.seed(seed)
    ex, tp, tr, oldp, oldr = B
    total = 0.0
    count = 0
    for it in range(n_samples):
        kind = _pick_move(move_cdf)
        mark[-1] += 1
        n, search, _ = _propose(kind, ex, tp, tr, mark, mark[-1], S, X)
        if n == 0:
            continue
        ok, delta = relocate(n, ex, tp, tr, oldp, oldr, search, S, X)
        if ok:
            if delta > 0:
                total += delta
                count += 1
            undo(n, ex, oldp, oldr, S, X)
    return total / count if count > 0 else 1.0


def warm_up() -> None:
    """Compile (or load from numba's cache) every kernel on a two-exam problem.

    ``solve`` runs this in a thread while CP-SAT constructs the start timetable (CP-SAT releases
    the GIL), so a cold compile overlaps with construction instead of adding to it.  The tiny
    problem produces exactly the argument types of real problems, so nothing is compiled twice.
    """
    from scheduling.examtt.data import build_data
    from scheduling.examtt.problem import Exam, Period, PeriodConstraint, PeriodRelation, Problem, Room

    problem = Problem(
        exams=(Exam(60, (1, 2)), Exam(60, (2,))),
        periods=(Period(0, 60), Period(0, 60), Period(1, 60)),
        rooms=(Room(5), Room(5)),
        period_constraints=(PeriodConstraint(1, PeriodRelation.AFTER, 0),),
    )
    data = build_data(problem)
    S, X = static_arrays(data), empty_state(data)
    mark = np.zeros(data.n_exams + 1, dtype=np.int64)
    period = np.array([0, 1], dtype=np.int64)
    room = np.array([0, 0], dtype=np.int64)
    cur = place_all(period, room, S, X)
    cdf = np.array([0.2, 0.4, 0.6, 0.8, 1.0])
    sample_deltas(S, X, 10, cdf, 0, mark)
    anneal(S, X, 10, 1.0, 0.5, cur, cur, period.copy(), room.copy(), cdf, 0, mark)
