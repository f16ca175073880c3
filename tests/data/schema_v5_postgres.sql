--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: public; Type: SCHEMA; Schema: -; Owner: -
--

-- *not* creating schema, since initdb creates it


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: action_item; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_item (
    id integer NOT NULL,
    uuid uuid NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    origin_council_id integer,
    version integer NOT NULL,
    deleted_at timestamp without time zone,
    reference character varying(20) NOT NULL,
    title character varying(300) NOT NULL,
    description text NOT NULL,
    commitment_id integer,
    owner_id integer,
    council_id integer,
    due_date date,
    priority character varying(10) NOT NULL,
    status character varying(20) NOT NULL
);


--
-- Name: action_item_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.action_item_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: action_item_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.action_item_id_seq OWNED BY public.action_item.id;


--
-- Name: attendance; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.attendance (
    id integer NOT NULL,
    uuid uuid NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    origin_council_id integer,
    version integer NOT NULL,
    deleted_at timestamp without time zone,
    event_id integer NOT NULL,
    stakeholder_id integer NOT NULL,
    role character varying(100) NOT NULL,
    notes text NOT NULL
);


--
-- Name: attendance_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.attendance_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: attendance_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.attendance_id_seq OWNED BY public.attendance.id;


--
-- Name: audit_entry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_entry (
    id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    "user" character varying(100) NOT NULL,
    council character varying(100) NOT NULL,
    operation character varying(20) NOT NULL,
    "table" character varying(40) NOT NULL,
    record_uuid uuid NOT NULL,
    field character varying(60) NOT NULL,
    old_value text,
    new_value text,
    source character varying(500) NOT NULL
);


--
-- Name: audit_entry_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_entry_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_entry_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_entry_id_seq OWNED BY public.audit_entry.id;


--
-- Name: commitment; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.commitment (
    id integer NOT NULL,
    uuid uuid NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    origin_council_id integer,
    version integer NOT NULL,
    deleted_at timestamp without time zone,
    title character varying(300) NOT NULL,
    description text NOT NULL,
    made_by_id integer NOT NULL,
    made_at_id integer,
    date_made date NOT NULL,
    target_date date,
    theme character varying(30) NOT NULL,
    status character varying(20) NOT NULL,
    rag character varying(1)
);


--
-- Name: commitment_council; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.commitment_council (
    id integer NOT NULL,
    commitment_id integer NOT NULL,
    council_id integer NOT NULL
);


--
-- Name: commitment_council_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.commitment_council_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: commitment_council_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.commitment_council_id_seq OWNED BY public.commitment_council.id;


--
-- Name: commitment_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.commitment_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: commitment_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.commitment_id_seq OWNED BY public.commitment.id;


--
-- Name: council; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.council (
    id integer NOT NULL,
    uuid uuid NOT NULL,
    name character varying(100) NOT NULL,
    code character varying(8) NOT NULL,
    kind character varying(20) NOT NULL,
    active boolean NOT NULL
);


--
-- Name: council_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.council_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: council_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.council_id_seq OWNED BY public.council.id;


--
-- Name: event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event (
    id integer NOT NULL,
    uuid uuid NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    origin_council_id integer,
    version integer NOT NULL,
    deleted_at timestamp without time zone,
    title character varying(300) NOT NULL,
    kind character varying(20) NOT NULL,
    date date NOT NULL,
    place character varying(300) NOT NULL,
    council_id integer,
    notes text NOT NULL
);


--
-- Name: event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_id_seq OWNED BY public.event.id;


--
-- Name: exchange_conflict; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.exchange_conflict (
    id integer NOT NULL,
    import_id integer,
    at timestamp without time zone NOT NULL,
    "table" character varying(40) NOT NULL,
    record_uuid uuid NOT NULL,
    source character varying(500) NOT NULL,
    mine_version integer NOT NULL,
    theirs_version integer NOT NULL,
    theirs_hash character varying(32) NOT NULL,
    theirs text NOT NULL,
    fields text NOT NULL,
    resolved_at timestamp without time zone,
    resolution character varying(20) NOT NULL,
    exported_hash character varying(32) NOT NULL
);


--
-- Name: exchange_conflict_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.exchange_conflict_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: exchange_conflict_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.exchange_conflict_id_seq OWNED BY public.exchange_conflict.id;


--
-- Name: exchange_import; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.exchange_import (
    id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    "user" character varying(100) NOT NULL,
    council character varying(100) NOT NULL,
    file_name character varying(500) NOT NULL,
    file_sha256 character varying(64) NOT NULL,
    from_council character varying(100) NOT NULL,
    exported_at timestamp without time zone,
    on_conflict character varying(20) NOT NULL,
    added integer NOT NULL,
    updated integer NOT NULL,
    unchanged integer NOT NULL,
    conflicts integer NOT NULL,
    undone_at timestamp without time zone,
    details text NOT NULL
);


--
-- Name: exchange_import_change; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.exchange_import_change (
    id integer NOT NULL,
    import_id integer NOT NULL,
    "table" character varying(40) NOT NULL,
    kind character varying(20) NOT NULL,
    record_uuid uuid,
    added text,
    before text,
    version_after integer,
    sync_before text
);


--
-- Name: exchange_import_change_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.exchange_import_change_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: exchange_import_change_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.exchange_import_change_id_seq OWNED BY public.exchange_import_change.id;


--
-- Name: exchange_import_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.exchange_import_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: exchange_import_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.exchange_import_id_seq OWNED BY public.exchange_import.id;


--
-- Name: exchange_sync_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.exchange_sync_state (
    record_uuid uuid NOT NULL,
    base character varying(32) NOT NULL,
    seen text NOT NULL
);


--
-- Name: meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meta (
    key character varying(64) NOT NULL,
    value text NOT NULL
);


--
-- Name: record_update; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.record_update (
    id integer NOT NULL,
    uuid uuid NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    origin_council_id integer,
    version integer NOT NULL,
    deleted_at timestamp without time zone,
    date date NOT NULL,
    text text NOT NULL,
    author character varying(100) NOT NULL,
    stakeholder_id integer,
    commitment_id integer,
    action_id integer
);


--
-- Name: record_update_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.record_update_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: record_update_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.record_update_id_seq OWNED BY public.record_update.id;


--
-- Name: stakeholder; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stakeholder (
    id integer NOT NULL,
    uuid uuid NOT NULL,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    origin_council_id integer,
    version integer NOT NULL,
    deleted_at timestamp without time zone,
    kind character varying(20) NOT NULL,
    name character varying(200) NOT NULL,
    organisation_id integer,
    sector character varying(30) NOT NULL,
    role character varying(200) NOT NULL,
    email character varying(254) NOT NULL,
    phone character varying(50) NOT NULL,
    address text NOT NULL,
    website character varying(500) NOT NULL,
    influence integer,
    interest integer,
    tags character varying(500) NOT NULL,
    notes text NOT NULL,
    erased_at timestamp without time zone
);


--
-- Name: stakeholder_council; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stakeholder_council (
    id integer NOT NULL,
    stakeholder_id integer NOT NULL,
    council_id integer NOT NULL
);


--
-- Name: stakeholder_council_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.stakeholder_council_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: stakeholder_council_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.stakeholder_council_id_seq OWNED BY public.stakeholder_council.id;


--
-- Name: stakeholder_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.stakeholder_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: stakeholder_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.stakeholder_id_seq OWNED BY public.stakeholder.id;


--
-- Name: table_import_held; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.table_import_held (
    id integer NOT NULL,
    import_id integer,
    at timestamp without time zone NOT NULL,
    kind character varying(20) NOT NULL,
    sheet character varying(100) NOT NULL,
    "row" integer NOT NULL,
    name character varying(300) NOT NULL,
    email character varying(254) NOT NULL,
    "values" text NOT NULL,
    candidates text NOT NULL,
    resolved_at timestamp without time zone,
    resolution character varying(20) NOT NULL,
    record_uuid uuid
);


--
-- Name: table_import_held_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.table_import_held_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: table_import_held_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.table_import_held_id_seq OWNED BY public.table_import_held.id;


--
-- Name: table_import_preset; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.table_import_preset (
    id integer NOT NULL,
    name character varying(100) NOT NULL,
    kind character varying(20) NOT NULL,
    headers text NOT NULL,
    mapping text NOT NULL,
    "values" text NOT NULL,
    saved_at timestamp without time zone NOT NULL
);


--
-- Name: table_import_preset_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.table_import_preset_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: table_import_preset_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.table_import_preset_id_seq OWNED BY public.table_import_preset.id;


--
-- Name: action_item id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_item ALTER COLUMN id SET DEFAULT nextval('public.action_item_id_seq'::regclass);


--
-- Name: attendance id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attendance ALTER COLUMN id SET DEFAULT nextval('public.attendance_id_seq'::regclass);


--
-- Name: audit_entry id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_entry ALTER COLUMN id SET DEFAULT nextval('public.audit_entry_id_seq'::regclass);


--
-- Name: commitment id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment ALTER COLUMN id SET DEFAULT nextval('public.commitment_id_seq'::regclass);


--
-- Name: commitment_council id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment_council ALTER COLUMN id SET DEFAULT nextval('public.commitment_council_id_seq'::regclass);


--
-- Name: council id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.council ALTER COLUMN id SET DEFAULT nextval('public.council_id_seq'::regclass);


--
-- Name: event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event ALTER COLUMN id SET DEFAULT nextval('public.event_id_seq'::regclass);


--
-- Name: exchange_conflict id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_conflict ALTER COLUMN id SET DEFAULT nextval('public.exchange_conflict_id_seq'::regclass);


--
-- Name: exchange_import id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_import ALTER COLUMN id SET DEFAULT nextval('public.exchange_import_id_seq'::regclass);


--
-- Name: exchange_import_change id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_import_change ALTER COLUMN id SET DEFAULT nextval('public.exchange_import_change_id_seq'::regclass);


--
-- Name: record_update id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.record_update ALTER COLUMN id SET DEFAULT nextval('public.record_update_id_seq'::regclass);


--
-- Name: stakeholder id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stakeholder ALTER COLUMN id SET DEFAULT nextval('public.stakeholder_id_seq'::regclass);


--
-- Name: stakeholder_council id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stakeholder_council ALTER COLUMN id SET DEFAULT nextval('public.stakeholder_council_id_seq'::regclass);


--
-- Name: table_import_held id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.table_import_held ALTER COLUMN id SET DEFAULT nextval('public.table_import_held_id_seq'::regclass);


--
-- Name: table_import_preset id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.table_import_preset ALTER COLUMN id SET DEFAULT nextval('public.table_import_preset_id_seq'::regclass);


--
-- Data for Name: action_item; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.action_item (id, uuid, created_at, updated_at, origin_council_id, version, deleted_at, reference, title, description, commitment_id, owner_id, council_id, due_date, priority, status) VALUES (1, 'c562d6e0-1dc4-4e9e-b091-02151d186d4e', '2026-12-01 21:04:58.664293', '2026-12-01 21:04:58.664305', 3, 1, NULL, 'RED-A0001', 'Open two venues', '', 1, 3, 3, '2019-06-30', 'medium', 'open');


--
-- Data for Name: attendance; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: audit_entry; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_entry (id, at, "user", council, operation, "table", record_uuid, field, old_value, new_value, source) VALUES (1, '2026-12-01 21:04:58.632627', 'Redbridge officer', 'Redbridge', 'create', 'stakeholder', '836b20e5-9861-4dd9-ac8e-0b5a5c063b56', '', NULL, '{"councils": "Redbridge", "kind": "organisation", "name": "Redbridge CVS", "sector": "voluntary"}', '');
INSERT INTO public.audit_entry (id, at, "user", council, operation, "table", record_uuid, field, old_value, new_value, source) VALUES (2, '2026-12-01 21:04:58.636459', 'Redbridge officer', 'Redbridge', 'create', 'stakeholder', '89d40498-c73c-47f1-a87c-f492fff80301', '', NULL, '{"email": "daniel@redbridgecvs.org.uk", "kind": "person", "name": "Daniel Okafor", "organisation": "836b20e5-9861-4dd9-ac8e-0b5a5c063b56", "sector": "voluntary"}', '');
INSERT INTO public.audit_entry (id, at, "user", council, operation, "table", record_uuid, field, old_value, new_value, source) VALUES (3, '2026-12-01 21:04:58.64007', 'Redbridge officer', 'Redbridge', 'create', 'stakeholder', 'ac00ff70-94bd-4c68-964b-1f5a5f3dd49b', '', NULL, '{"kind": "person", "name": "Dan Okafor", "organisation": "836b20e5-9861-4dd9-ac8e-0b5a5c063b56", "sector": "voluntary"}', '');
INSERT INTO public.audit_entry (id, at, "user", council, operation, "table", record_uuid, field, old_value, new_value, source) VALUES (4, '2026-12-01 21:04:58.643017', 'Redbridge officer', 'Redbridge', 'create', 'stakeholder', '929cb591-0618-4815-90f3-32e84fcc4b17', '', NULL, NULL, '');
INSERT INTO public.audit_entry (id, at, "user", council, operation, "table", record_uuid, field, old_value, new_value, source) VALUES (5, '2026-12-01 21:04:58.653133', 'Redbridge officer', 'Redbridge', 'erase', 'stakeholder', '929cb591-0618-4815-90f3-32e84fcc4b17', '', NULL, NULL, '');
INSERT INTO public.audit_entry (id, at, "user", council, operation, "table", record_uuid, field, old_value, new_value, source) VALUES (6, '2026-12-01 21:04:58.659898', 'Redbridge officer', 'Redbridge', 'create', 'commitment', 'e5fe8347-0a08-4e05-8eae-165f64974060', '', NULL, '{"councils": "Redbridge", "date_made": "2019-01-16", "made_by": "ac00ff70-94bd-4c68-964b-1f5a5f3dd49b", "status": "agreed", "target_date": "2020-03-31", "theme": "youth", "title": "Safe spaces after school"}', '');
INSERT INTO public.audit_entry (id, at, "user", council, operation, "table", record_uuid, field, old_value, new_value, source) VALUES (7, '2026-12-01 21:04:58.666148', 'Redbridge officer', 'Redbridge', 'create', 'action_item', 'c562d6e0-1dc4-4e9e-b091-02151d186d4e', '', NULL, '{"commitment": "e5fe8347-0a08-4e05-8eae-165f64974060", "council": "7a5da03a-7cd5-5069-b7d2-771247fdf46f", "due_date": "2019-06-30", "owner": "ac00ff70-94bd-4c68-964b-1f5a5f3dd49b", "priority": "medium", "reference": "RED-A0001", "status": "open", "title": "Open two venues"}', '');


--
-- Data for Name: commitment; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.commitment (id, uuid, created_at, updated_at, origin_council_id, version, deleted_at, title, description, made_by_id, made_at_id, date_made, target_date, theme, status, rag) VALUES (1, 'e5fe8347-0a08-4e05-8eae-165f64974060', '2026-12-01 21:04:58.656211', '2026-12-01 21:04:58.65622', 3, 1, NULL, 'Safe spaces after school', '', 3, NULL, '2019-01-16', '2020-03-31', 'youth', 'agreed', NULL);


--
-- Data for Name: commitment_council; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.commitment_council (id, commitment_id, council_id) VALUES (1, 1, 3);


--
-- Data for Name: council; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.council (id, uuid, name, code, kind, active) VALUES (1, '5fb343be-7546-5b39-ae25-1e2156bb34ec', 'Barking and Dagenham', 'BD', 'borough', true);
INSERT INTO public.council (id, uuid, name, code, kind, active) VALUES (2, 'a8c9d763-325b-5f00-92c6-a6b7b12b4c70', 'Havering', 'HAV', 'borough', true);
INSERT INTO public.council (id, uuid, name, code, kind, active) VALUES (3, '7a5da03a-7cd5-5069-b7d2-771247fdf46f', 'Redbridge', 'RED', 'borough', true);
INSERT INTO public.council (id, uuid, name, code, kind, active) VALUES (4, 'fd62546a-1146-5090-b0dc-1f7b93565899', 'Tri-borough', 'TRI', 'tri_borough', true);
INSERT INTO public.council (id, uuid, name, code, kind, active) VALUES (5, 'bc21674a-6873-56cf-83d3-e541a5e4547a', 'Pan-London', 'LDN', 'pan_london', true);


--
-- Data for Name: event; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: exchange_conflict; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: exchange_import; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: exchange_import_change; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: exchange_sync_state; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.meta (key, value) VALUES ('schema_version', '5');
INSERT INTO public.meta (key, value) VALUES ('database_id', '2421811a-1d42-49be-b534-d2a69e0948c4');


--
-- Data for Name: record_update; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: stakeholder; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.stakeholder (id, uuid, created_at, updated_at, origin_council_id, version, deleted_at, kind, name, organisation_id, sector, role, email, phone, address, website, influence, interest, tags, notes, erased_at) VALUES (1, '836b20e5-9861-4dd9-ac8e-0b5a5c063b56', '2026-12-01 21:04:58.6293', '2026-12-01 21:04:58.629325', 3, 1, NULL, 'organisation', 'Redbridge CVS', NULL, 'voluntary', '', '', '', '', '', NULL, NULL, '', '', NULL);
INSERT INTO public.stakeholder (id, uuid, created_at, updated_at, origin_council_id, version, deleted_at, kind, name, organisation_id, sector, role, email, phone, address, website, influence, interest, tags, notes, erased_at) VALUES (2, '89d40498-c73c-47f1-a87c-f492fff80301', '2026-12-01 21:04:58.635177', '2026-12-01 21:04:58.635192', 3, 1, NULL, 'person', 'Daniel Okafor', 1, 'voluntary', '', 'daniel@redbridgecvs.org.uk', '', '', '', NULL, NULL, '', '', NULL);
INSERT INTO public.stakeholder (id, uuid, created_at, updated_at, origin_council_id, version, deleted_at, kind, name, organisation_id, sector, role, email, phone, address, website, influence, interest, tags, notes, erased_at) VALUES (3, 'ac00ff70-94bd-4c68-964b-1f5a5f3dd49b', '2026-12-01 21:04:58.638708', '2026-12-01 21:04:58.638721', 3, 1, NULL, 'person', 'Dan Okafor', 1, 'voluntary', '', '', '', '', '', NULL, NULL, '', '', NULL);
INSERT INTO public.stakeholder (id, uuid, created_at, updated_at, origin_council_id, version, deleted_at, kind, name, organisation_id, sector, role, email, phone, address, website, influence, interest, tags, notes, erased_at) VALUES (4, '929cb591-0618-4815-90f3-32e84fcc4b17', '2026-12-01 21:04:58.641951', '2026-12-01 21:04:58.645291', 3, 2, NULL, 'person', 'Erased person', NULL, 'voluntary', '', '', '', '', '', NULL, NULL, '', '', '2026-12-01 21:04:58.645291');


--
-- Data for Name: stakeholder_council; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.stakeholder_council (id, stakeholder_id, council_id) VALUES (1, 1, 3);


--
-- Data for Name: table_import_held; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: table_import_preset; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: action_item_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.action_item_id_seq', 1, true);


--
-- Name: attendance_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.attendance_id_seq', 1, false);


--
-- Name: audit_entry_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_entry_id_seq', 7, true);


--
-- Name: commitment_council_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.commitment_council_id_seq', 1, true);


--
-- Name: commitment_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.commitment_id_seq', 1, true);


--
-- Name: council_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.council_id_seq', 5, true);


--
-- Name: event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_id_seq', 1, false);


--
-- Name: exchange_conflict_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.exchange_conflict_id_seq', 1, false);


--
-- Name: exchange_import_change_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.exchange_import_change_id_seq', 1, false);


--
-- Name: exchange_import_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.exchange_import_id_seq', 1, false);


--
-- Name: record_update_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.record_update_id_seq', 1, false);


--
-- Name: stakeholder_council_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.stakeholder_council_id_seq', 1, true);


--
-- Name: stakeholder_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.stakeholder_id_seq', 4, true);


--
-- Name: table_import_held_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.table_import_held_id_seq', 1, false);


--
-- Name: table_import_preset_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.table_import_preset_id_seq', 1, false);


--
-- Name: action_item action_item_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_item
    ADD CONSTRAINT action_item_pkey PRIMARY KEY (id);


--
-- Name: attendance attendance_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attendance
    ADD CONSTRAINT attendance_pkey PRIMARY KEY (id);


--
-- Name: audit_entry audit_entry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_entry
    ADD CONSTRAINT audit_entry_pkey PRIMARY KEY (id);


--
-- Name: commitment_council commitment_council_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment_council
    ADD CONSTRAINT commitment_council_pkey PRIMARY KEY (id);


--
-- Name: commitment commitment_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment
    ADD CONSTRAINT commitment_pkey PRIMARY KEY (id);


--
-- Name: council council_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.council
    ADD CONSTRAINT council_pkey PRIMARY KEY (id);


--
-- Name: event event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (id);


--
-- Name: exchange_conflict exchange_conflict_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_conflict
    ADD CONSTRAINT exchange_conflict_pkey PRIMARY KEY (id);


--
-- Name: exchange_import_change exchange_import_change_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_import_change
    ADD CONSTRAINT exchange_import_change_pkey PRIMARY KEY (id);


--
-- Name: exchange_import exchange_import_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_import
    ADD CONSTRAINT exchange_import_pkey PRIMARY KEY (id);


--
-- Name: exchange_sync_state exchange_sync_state_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_sync_state
    ADD CONSTRAINT exchange_sync_state_pkey PRIMARY KEY (record_uuid);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);


--
-- Name: record_update record_update_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.record_update
    ADD CONSTRAINT record_update_pkey PRIMARY KEY (id);


--
-- Name: stakeholder_council stakeholder_council_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stakeholder_council
    ADD CONSTRAINT stakeholder_council_pkey PRIMARY KEY (id);


--
-- Name: stakeholder stakeholder_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stakeholder
    ADD CONSTRAINT stakeholder_pkey PRIMARY KEY (id);


--
-- Name: table_import_held table_import_held_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.table_import_held
    ADD CONSTRAINT table_import_held_pkey PRIMARY KEY (id);


--
-- Name: table_import_preset table_import_preset_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.table_import_preset
    ADD CONSTRAINT table_import_preset_pkey PRIMARY KEY (id);


--
-- Name: action_item_commitment_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_item_commitment_id ON public.action_item USING btree (commitment_id);


--
-- Name: action_item_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_item_council_id ON public.action_item USING btree (council_id);


--
-- Name: action_item_deleted_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_item_deleted_at ON public.action_item USING btree (deleted_at);


--
-- Name: action_item_due_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_item_due_date ON public.action_item USING btree (due_date);


--
-- Name: action_item_origin_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_item_origin_council_id ON public.action_item USING btree (origin_council_id);


--
-- Name: action_item_owner_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_item_owner_id ON public.action_item USING btree (owner_id);


--
-- Name: action_item_reference; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX action_item_reference ON public.action_item USING btree (reference);


--
-- Name: action_item_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_item_status ON public.action_item USING btree (status);


--
-- Name: action_item_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_item_updated_at ON public.action_item USING btree (updated_at);


--
-- Name: action_item_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX action_item_uuid ON public.action_item USING btree (uuid);


--
-- Name: attendance_deleted_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attendance_deleted_at ON public.attendance USING btree (deleted_at);


--
-- Name: attendance_event_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attendance_event_id ON public.attendance USING btree (event_id);


--
-- Name: attendance_event_id_stakeholder_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX attendance_event_id_stakeholder_id ON public.attendance USING btree (event_id, stakeholder_id);


--
-- Name: attendance_origin_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attendance_origin_council_id ON public.attendance USING btree (origin_council_id);


--
-- Name: attendance_stakeholder_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attendance_stakeholder_id ON public.attendance USING btree (stakeholder_id);


--
-- Name: attendance_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attendance_updated_at ON public.attendance USING btree (updated_at);


--
-- Name: attendance_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX attendance_uuid ON public.attendance USING btree (uuid);


--
-- Name: audit_entry_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entry_at ON public.audit_entry USING btree (at);


--
-- Name: audit_entry_record_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entry_record_uuid ON public.audit_entry USING btree (record_uuid);


--
-- Name: commitment_council_commitment_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commitment_council_commitment_id ON public.commitment_council USING btree (commitment_id);


--
-- Name: commitment_council_commitment_id_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX commitment_council_commitment_id_council_id ON public.commitment_council USING btree (commitment_id, council_id);


--
-- Name: commitment_council_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commitment_council_council_id ON public.commitment_council USING btree (council_id);


--
-- Name: commitment_deleted_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commitment_deleted_at ON public.commitment USING btree (deleted_at);


--
-- Name: commitment_made_at_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commitment_made_at_id ON public.commitment USING btree (made_at_id);


--
-- Name: commitment_made_by_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commitment_made_by_id ON public.commitment USING btree (made_by_id);


--
-- Name: commitment_origin_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commitment_origin_council_id ON public.commitment USING btree (origin_council_id);


--
-- Name: commitment_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commitment_status ON public.commitment USING btree (status);


--
-- Name: commitment_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX commitment_updated_at ON public.commitment USING btree (updated_at);


--
-- Name: commitment_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX commitment_uuid ON public.commitment USING btree (uuid);


--
-- Name: council_code; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX council_code ON public.council USING btree (code);


--
-- Name: council_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX council_name ON public.council USING btree (name);


--
-- Name: council_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX council_uuid ON public.council USING btree (uuid);


--
-- Name: event_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_council_id ON public.event USING btree (council_id);


--
-- Name: event_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_date ON public.event USING btree (date);


--
-- Name: event_deleted_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_deleted_at ON public.event USING btree (deleted_at);


--
-- Name: event_origin_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_origin_council_id ON public.event USING btree (origin_council_id);


--
-- Name: event_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_updated_at ON public.event USING btree (updated_at);


--
-- Name: event_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX event_uuid ON public.event USING btree (uuid);


--
-- Name: exchange_conflict_import_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX exchange_conflict_import_id ON public.exchange_conflict USING btree (import_id);


--
-- Name: exchange_conflict_record_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX exchange_conflict_record_uuid ON public.exchange_conflict USING btree (record_uuid);


--
-- Name: exchange_conflict_resolved_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX exchange_conflict_resolved_at ON public.exchange_conflict USING btree (resolved_at);


--
-- Name: exchange_import_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX exchange_import_at ON public.exchange_import USING btree (at);


--
-- Name: exchange_import_change_import_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX exchange_import_change_import_id ON public.exchange_import_change USING btree (import_id);


--
-- Name: exchange_import_change_record_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX exchange_import_change_record_uuid ON public.exchange_import_change USING btree (record_uuid);


--
-- Name: record_update_action_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX record_update_action_id ON public.record_update USING btree (action_id);


--
-- Name: record_update_commitment_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX record_update_commitment_id ON public.record_update USING btree (commitment_id);


--
-- Name: record_update_deleted_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX record_update_deleted_at ON public.record_update USING btree (deleted_at);


--
-- Name: record_update_origin_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX record_update_origin_council_id ON public.record_update USING btree (origin_council_id);


--
-- Name: record_update_stakeholder_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX record_update_stakeholder_id ON public.record_update USING btree (stakeholder_id);


--
-- Name: record_update_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX record_update_updated_at ON public.record_update USING btree (updated_at);


--
-- Name: record_update_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX record_update_uuid ON public.record_update USING btree (uuid);


--
-- Name: stakeholder_council_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stakeholder_council_council_id ON public.stakeholder_council USING btree (council_id);


--
-- Name: stakeholder_council_stakeholder_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stakeholder_council_stakeholder_id ON public.stakeholder_council USING btree (stakeholder_id);


--
-- Name: stakeholder_council_stakeholder_id_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX stakeholder_council_stakeholder_id_council_id ON public.stakeholder_council USING btree (stakeholder_id, council_id);


--
-- Name: stakeholder_deleted_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stakeholder_deleted_at ON public.stakeholder USING btree (deleted_at);


--
-- Name: stakeholder_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stakeholder_name ON public.stakeholder USING btree (name);


--
-- Name: stakeholder_organisation_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stakeholder_organisation_id ON public.stakeholder USING btree (organisation_id);


--
-- Name: stakeholder_origin_council_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stakeholder_origin_council_id ON public.stakeholder USING btree (origin_council_id);


--
-- Name: stakeholder_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX stakeholder_updated_at ON public.stakeholder USING btree (updated_at);


--
-- Name: stakeholder_uuid; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX stakeholder_uuid ON public.stakeholder USING btree (uuid);


--
-- Name: table_import_held_import_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX table_import_held_import_id ON public.table_import_held USING btree (import_id);


--
-- Name: table_import_held_resolved_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX table_import_held_resolved_at ON public.table_import_held USING btree (resolved_at);


--
-- Name: table_import_preset_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX table_import_preset_name ON public.table_import_preset USING btree (name);


--
-- Name: action_item action_item_commitment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_item
    ADD CONSTRAINT action_item_commitment_id_fkey FOREIGN KEY (commitment_id) REFERENCES public.commitment(id);


--
-- Name: action_item action_item_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_item
    ADD CONSTRAINT action_item_council_id_fkey FOREIGN KEY (council_id) REFERENCES public.council(id);


--
-- Name: action_item action_item_origin_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_item
    ADD CONSTRAINT action_item_origin_council_id_fkey FOREIGN KEY (origin_council_id) REFERENCES public.council(id);


--
-- Name: action_item action_item_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_item
    ADD CONSTRAINT action_item_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.stakeholder(id);


--
-- Name: attendance attendance_event_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attendance
    ADD CONSTRAINT attendance_event_id_fkey FOREIGN KEY (event_id) REFERENCES public.event(id);


--
-- Name: attendance attendance_origin_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attendance
    ADD CONSTRAINT attendance_origin_council_id_fkey FOREIGN KEY (origin_council_id) REFERENCES public.council(id);


--
-- Name: attendance attendance_stakeholder_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attendance
    ADD CONSTRAINT attendance_stakeholder_id_fkey FOREIGN KEY (stakeholder_id) REFERENCES public.stakeholder(id);


--
-- Name: commitment_council commitment_council_commitment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment_council
    ADD CONSTRAINT commitment_council_commitment_id_fkey FOREIGN KEY (commitment_id) REFERENCES public.commitment(id) ON DELETE CASCADE;


--
-- Name: commitment_council commitment_council_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment_council
    ADD CONSTRAINT commitment_council_council_id_fkey FOREIGN KEY (council_id) REFERENCES public.council(id);


--
-- Name: commitment commitment_made_at_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment
    ADD CONSTRAINT commitment_made_at_id_fkey FOREIGN KEY (made_at_id) REFERENCES public.event(id);


--
-- Name: commitment commitment_made_by_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment
    ADD CONSTRAINT commitment_made_by_id_fkey FOREIGN KEY (made_by_id) REFERENCES public.stakeholder(id);


--
-- Name: commitment commitment_origin_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment
    ADD CONSTRAINT commitment_origin_council_id_fkey FOREIGN KEY (origin_council_id) REFERENCES public.council(id);


--
-- Name: event event_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_council_id_fkey FOREIGN KEY (council_id) REFERENCES public.council(id);


--
-- Name: event event_origin_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_origin_council_id_fkey FOREIGN KEY (origin_council_id) REFERENCES public.council(id);


--
-- Name: exchange_conflict exchange_conflict_import_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_conflict
    ADD CONSTRAINT exchange_conflict_import_id_fkey FOREIGN KEY (import_id) REFERENCES public.exchange_import(id) ON DELETE SET NULL;


--
-- Name: exchange_import_change exchange_import_change_import_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.exchange_import_change
    ADD CONSTRAINT exchange_import_change_import_id_fkey FOREIGN KEY (import_id) REFERENCES public.exchange_import(id) ON DELETE CASCADE;


--
-- Name: record_update record_update_action_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.record_update
    ADD CONSTRAINT record_update_action_id_fkey FOREIGN KEY (action_id) REFERENCES public.action_item(id);


--
-- Name: record_update record_update_commitment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.record_update
    ADD CONSTRAINT record_update_commitment_id_fkey FOREIGN KEY (commitment_id) REFERENCES public.commitment(id);


--
-- Name: record_update record_update_origin_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.record_update
    ADD CONSTRAINT record_update_origin_council_id_fkey FOREIGN KEY (origin_council_id) REFERENCES public.council(id);


--
-- Name: record_update record_update_stakeholder_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.record_update
    ADD CONSTRAINT record_update_stakeholder_id_fkey FOREIGN KEY (stakeholder_id) REFERENCES public.stakeholder(id);


--
-- Name: stakeholder_council stakeholder_council_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stakeholder_council
    ADD CONSTRAINT stakeholder_council_council_id_fkey FOREIGN KEY (council_id) REFERENCES public.council(id);


--
-- Name: stakeholder_council stakeholder_council_stakeholder_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stakeholder_council
    ADD CONSTRAINT stakeholder_council_stakeholder_id_fkey FOREIGN KEY (stakeholder_id) REFERENCES public.stakeholder(id) ON DELETE CASCADE;


--
-- Name: stakeholder stakeholder_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stakeholder
    ADD CONSTRAINT stakeholder_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.stakeholder(id);


--
-- Name: stakeholder stakeholder_origin_council_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stakeholder
    ADD CONSTRAINT stakeholder_origin_council_id_fkey FOREIGN KEY (origin_council_id) REFERENCES public.council(id);


--
-- Name: table_import_held table_import_held_import_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.table_import_held
    ADD CONSTRAINT table_import_held_import_id_fkey FOREIGN KEY (import_id) REFERENCES public.exchange_import(id) ON DELETE SET NULL;


--
-- PostgreSQL database dump complete
--


