"""Events (summits, meetings, commission sessions) and who attended them."""

from tracker import vocab
from tracker.models import Attendance, Event, Stakeholder
from tracker.services.base import RecordService, check_choice, writing


class EventService(RecordService):
    model = Event
    what = "event"
    fields = ("title", "kind", "date", "place", "council", "notes")
    required = ("title", "kind", "date")
    text_fields = (Event.title, Event.place, Event.notes)
    sort_fields = {"date": Event.date, "title": Event.title, "kind": Event.kind, "updated": Event.updated_at}
    default_sort = "date"

    def defaults(self):
        return {"kind": "meeting"}

    def validate(self, data, existing=None):
        errors = super().validate(data, existing)
        check_choice(errors, "kind", data.get("kind"), vocab.EVENT_KINDS)
        return errors

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
    what = "attendance"
    fields = ("event", "stakeholder", "role", "notes")
    required = ("event", "stakeholder")
    text_fields = (Attendance.role, Attendance.notes)
    sort_fields = {"updated": Attendance.updated_at}

    def validate(self, data, existing=None):
        errors = super().validate(data, existing)
        event, person = data.get("event"), data.get("stakeholder")
        if event is not None and person is not None:
            clash = Attendance.select().where(Attendance.event == event, Attendance.stakeholder == person)
            if existing is not None:
                clash = clash.where(Attendance.id != existing.id)
            if clash.exists():
                errors["stakeholder"] = f"{person.name} is already recorded as attending {event.title}"
        return errors

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
