"""``exams_take_seats``: on PostgreSQL, a booking's whole locked section in one round trip.

A registration rush sells the seats of one session to many people at once, so every booking waits for that
session's row lock. The lock is held from the moment it is granted until the commit; taking it, recounting
and moving the counter as three statements from the web worker kept it for three round trips plus the
worker's own scheduling delays between them, and under load that queue, not the CPU, set the pace.
The function does the same three steps inside the database (see ``exams.services.seats.take_seats``).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION exams_take_seats(session_ids bigint[], seat_taking text[], take_lock boolean,
                                            pause_after_check double precision)
RETURNS TABLE (session_id bigint, status varchar, starts_at timestamptz, registration_closes_at timestamptz,
               capacity integer, taken integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    room_in_all boolean := true;
BEGIN
    IF take_lock THEN
        -- In id order, as everywhere else, so two bookings of the same sessions never deadlock.
        PERFORM 1 FROM exams_examsession s WHERE s.id = ANY(session_ids) ORDER BY s.id FOR NO KEY UPDATE;
    END IF;
    -- Each statement of a volatile function takes a new snapshot: the recount sees every registration
    -- committed before the locks were granted, and this booking's own.
    FOR session_id, status, starts_at, registration_closes_at, capacity, taken IN
        SELECT s.id, s.status, s.starts_at, s.registration_closes_at, s.capacity,
               (SELECT count(*) FROM exams_registration r
                 WHERE r.session_id = s.id AND r.status = ANY(seat_taking))::integer
          FROM exams_examsession s WHERE s.id = ANY(session_ids) ORDER BY s.id
    LOOP
        room_in_all := room_in_all AND status = 'open' AND taken <= capacity;
        RETURN NEXT;
    END LOOP;
    IF pause_after_check > 0 THEN
        PERFORM pg_sleep(pause_after_check);  -- tests widen the race window here
    END IF;
    IF room_in_all THEN
        UPDATE exams_examsession s SET seats_booked = s.seats_booked + 1 WHERE s.id = ANY(session_ids);
    END IF;
END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS exams_take_seats(bigint[], text[], boolean, double precision);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("exams", "0009_audit_sealing"),
    ]

    operations = [migrations.RunPython(create, drop)]
