"""Events (summits, meetings, commission sessions) and who attended them."""

from tracker import records
from tracker.models import Attendance, Event, Stakeholder
from tracker.services.base import RecordService, writing


class EventService(RecordService):
    model = Event
    record = records.EVENT
    text_fields = (Event.title, Event.place, Event.notes)
    sort_fields = {"date": Event.date, "title": Event.title, "kind": Event.kind, "updated": Event.updated_at}
    default_sort = "date"

    def filter_keys(self):
        return ("council", "kind", "after", "before", "attended_by")

    def apply_filters(self, q, filters):
        q = super().apply_filters(q, filters)
        if filters.get("council"):
            q = q.where(Event.council == filters["council"])
        if filters.get("kind"):
            q = q.where(Event.kind == filters["kind"])
        if filters.get("after"):
            q = q.where(Event.date >= filters["after"])
        if filters.get("before"):
            q = q.where(Event.date <= filters["before"])
        if filters.get("attended_by"):
            q = q.where(Event.id.in_(Attendance.select(Attendance.event).where(
                Attendance.stakeholder == filters["attended_by"], Attendance.deleted_at.is_null())))
        return q


class AttendanceService(RecordService):
    model = Attendance
    record = records.ATTENDANCE  # unique per event and stakeholder: the registry's rule, asked of the database
    text_fields = (Attendance.role, Attendance.notes)
    sort_fields = {"updated": Attendance.updated_at}

    def attendees(self, event):
        """Live attendance rows of an event with their stakeholders, by name (one query)."""
        return list(Attendance.select(Attendance, Stakeholder).join(Stakeholder)
                    .where(Attendance.event == event, Attendance.deleted_at.is_null())
                    .order_by(Stakeholder.name))

    def events_of(self, stakeholder):
        return list(Attendance.select(Attendance, Event).join(Event)
                    .where(Attendance.stakeholder == stakeholder, Attendance.deleted_at.is_null(),
                           Event.deleted_at.is_null())
                    .order_by(Event.date.desc()))

    def attend(self, event, stakeholder, role="", source=""):
        """Record attendance; re-attending after removal restores the old row (one identity)."""
        with writing():  # one announcement for the lot
            existing = Attendance.get_or_none(Attendance.event == event, Attendance.stakeholder == stakeholder)
            if existing is None:
                return self.create(event=event, stakeholder=stakeholder, role=role, source=source)
            if existing.is_deleted:
                existing = self.restore(existing, source=source)
            if role != existing.role:
                existing = self.update(existing, role=role, source=source)
            return existing


events = EventService()
attendance = AttendanceService()
