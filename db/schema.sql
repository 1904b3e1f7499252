CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;
CREATE TYPE public.mk_as_cur_row AS (
	id bigint,
	location_id bigint,
	project_id bigint,
	level text,
	unit_id bigint,
	share double precision,
	method text,
	precision_flag text,
	valid_from timestamp with time zone,
	keep boolean
);
CREATE TYPE public.mk_as_loc_row AS (
	id bigint,
	project_id bigint,
	"precision" text,
	unit_code text,
	level text,
	mode text,
	unit_id bigint,
	code text,
	version integer
);
CREATE TYPE public.mk_as_row AS (
	location_id bigint,
	project_id bigint,
	level text,
	unit_id bigint,
	unit_code text,
	unit_version integer,
	share double precision,
	method text,
	"precision" text,
	precision_flag text
);
CREATE TYPE public.mk_cell_mark_row AS (
	cx integer,
	cy integer
);
CREATE TYPE public.mk_ov_hit_row AS (
	id bigint,
	path integer[],
	set_key text,
	member_id bigint,
	code text,
	version integer
);
CREATE TYPE public.mk_ov_loc_row AS (
	id bigint,
	geom public.geometry,
	dim integer,
	parts integer,
	total double precision
);
CREATE TYPE public.mk_ov_mem_row AS (
	id bigint,
	set_key text,
	member_id bigint,
	code text,
	version integer,
	k integer,
	rn integer,
	edge boolean
);
CREATE TYPE public.mk_ov_pair_row AS (
	id bigint,
	set_key text,
	member_id bigint,
	code text,
	version integer,
	src text,
	piece bigint
);
CREATE TYPE public.mk_ov_part_row AS (
	id bigint,
	set_key text,
	member_id bigint,
	code text,
	version integer,
	share double precision
);
CREATE TYPE public.mk_ov_pt_row AS (
	id bigint,
	path integer[],
	geom public.geometry,
	w double precision,
	degenerate boolean
);
CREATE TYPE public.mk_ov_row AS (
	loc_id bigint,
	set_key text,
	member_id bigint,
	code text,
	version integer,
	share double precision,
	how text,
	degenerate boolean
);
CREATE TYPE public.mk_refresh_pending_row AS (
	id bigint
);
CREATE TYPE public.mk_stage_row AS (
	ord integer,
	fid bigint,
	key text,
	data jsonb,
	attrs jsonb,
	wkb bytea,
	geom public.geometry,
	repair text,
	reject text
);
CREATE TYPE public.mk_unit_change_row AS (
	id bigint,
	level text,
	old_level text,
	code text,
	old_code text,
	gone boolean,
	added boolean
);
CREATE FUNCTION public.mk_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_apportion_compute(pids bigint[], t timestamp with time zone) RETURNS TABLE(project_id bigint, level text, bucket text, unit_code text, reason text, share numeric, budget_tnd numeric, beneficiaries bigint, committed_tnd numeric, paid_tnd numeric) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_assign_apply(ids bigint[], levels text[]) RETURNS bigint[] LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_assign_close(ids bigint[]) RETURNS bigint[] LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_assign_compute(ids bigint[], levels text[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_assign_levels() RETURNS text[] LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_assignment_drain() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_changed_rows(op text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_comment_hold() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_conformity_locations(ids bigint[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_conformity_overlay(ids bigint[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_conformity_projects(pids bigint[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_event_refusal(pid bigint, to_status text, on_date date, physical numeric, correction boolean) RETURNS text LANGUAGE plpgsql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_facility_compute(unit_ids bigint[]) RETURNS TABLE(unit_id bigint, kind text, facilities integer, nearest_km double precision, nearest_facility_id bigint) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_facility_kinds() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_facility_refresh(unit_ids bigint[], settlements boolean) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_features_notify() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_funding_apportion_compute(pids bigint[], t timestamp with time zone) RETURNS TABLE(funding_line_id bigint, project_id bigint, level text, bucket text, source_kind text, amount_tnd numeric) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_funding_json(pid bigint) RETURNS text LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_funding_kinds() RETURNS text[] LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_generalise(g public.geometry, z integer) RETURNS public.geometry LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_hmac_sha256(key bytea, msg bytea) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_indicator_lines(lv text, t timestamp with time zone, gov text) RETURNS TABLE(kind text, level text, code text, name_ar text, name_fr text, name_en text, parent_code text, governorate_code text, population bigint, population_year integer, population_source text, project_count integer, budget_tnd numeric, budget_per_inhabitant numeric, beneficiaries bigint, committed_tnd numeric, paid_tnd numeric, execution_rate numeric, projects_with_progress integer, delayed_count integer, blocked_count integer, rank_in_governorate integer, units_in_governorate integer, school_count integer, school_per_10k numeric, school_nearest_km numeric, health_count integer, health_per_10k numeric, health_nearest_km numeric, administration_count integer, administration_per_10k numeric, administration_nearest_km numeric, post_count integer, post_per_10k numeric, post_nearest_km numeric, police_count integer, police_per_10k numeric, police_nearest_km numeric, settlement_method text, by_theme jsonb, by_status jsonb, by_funding jsonb) LANGUAGE sql STABLE SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_indicator_rows_store() RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_indicators_compute(lv text, buckets text[], t timestamp with time zone) RETURNS TABLE(level text, bucket text, unit_code text, reason text, project_count integer, budget_tnd numeric, beneficiaries bigint, committed_tnd numeric, paid_tnd numeric, projects_with_progress integer, delayed_count integer, blocked_count integer, by_theme jsonb, by_status jsonb, by_funding jsonb) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_indicators_refresh(keys text[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_json_date(v text) RETURNS date LANGUAGE sql IMMUTABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_landuse_sync(slugs text[], zone_ids bigint[]) RETURNS bigint[] LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_level_source(level text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_local_date(t timestamp with time zone) RETURNS date LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_locate(lon double precision, lat double precision) RETURNS TABLE(level text, code text, name_ar text, name_fr text, name_en text, version integer, parent_code text) LANGUAGE plpgsql STABLE PARALLEL SAFE SET plan_cache_mode TO 'force_generic_plan' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_location_assigned_to(l_id bigint, municipalities text[]) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE TABLE public.project_location (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    source_id text NOT NULL,
    "precision" text NOT NULL,
    place_name text,
    unit_code text,
    geom public.geometry(Geometry,4326) NOT NULL,
    geom_3857 public.geometry(Geometry,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    disclosure text DEFAULT 'exact'::text NOT NULL,
    public_geom public.geometry(Geometry,4326),
    public_geom_3857 public.geometry(Geometry,3857) GENERATED ALWAYS AS (public.st_transform(public_geom, 3857)) STORED,
    CONSTRAINT project_location_disclosure_check CHECK ((disclosure = ANY (ARRAY['exact'::text, 'displaced'::text, 'unit'::text, 'withheld'::text]))),
    CONSTRAINT project_location_precision_check CHECK (("precision" = ANY (ARRAY['exact'::text, 'approximate'::text, 'municipality'::text, 'delegation'::text, 'governorate'::text, 'national'::text])))
);
CREATE FUNCTION public.mk_location_box(loc public.project_location) RETURNS public.box2d LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_location_exact_visible(l_id bigint, p_partner text, s_all boolean, s_partner text, s_municipalities text[]) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_location_geom(exact public.geometry, public public.geometry, l_id bigint, p_partner text, s_all boolean, s_partner text, s_municipalities text[]) RETURNS public.geometry LANGUAGE sql STABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_location_public_geom(l_id bigint, l_disclosure text, l_precision text, l_unit_code text, l_geom public.geometry) RETURNS public.geometry LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_location_verdicts(ids bigint[]) RETURNS TABLE(location_id bigint, project_id bigint, verdict text, reason text, outside_share double precision, forbidden_share double precision, conditional_share double precision, allowed_share double precision, parts jsonb, summary_fr text, summary_ar text) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_locations_changed(ids bigint[], extra_projects bigint[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_locked(kind anyelement, row_id bigint, what text) RETURNS anyelement LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_mask_build(keys text[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_mask_stale(keys text[]) RETURNS void LANGUAGE sql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_masks_warm() RETURNS integer LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_moderate(target text, t_id bigint, act text, actor text, why text) RETURNS void LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_overlay_run(ids bigint[], sets text[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_participation_setting(code text) RETURNS TABLE(mode text, report_threshold integer) LANGUAGE sql STABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_participation_tags(g public.geometry, ptype text) RETURNS TABLE(municipality_code text, delegation_code text, zone_id bigint, landuse_class text, conformity_hint text) LANGUAGE plpgsql STABLE SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_pieces_add(ids bigint[]) RETURNS void LANGUAGE sql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_plan_revise(p_id bigint, p_by text) RETURNS bigint LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_plan_transition(p_id bigint, p_status text, p_adopted_on date, p_deliberation text) RETURNS text LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_planning_fresh() RETURNS boolean LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_planning_refresh_all() RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_assigned_to(p_id bigint, municipalities text[]) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_backdate(ids bigint[]) RETURNS void LANGUAGE sql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_feature_refresh(pids bigint[]) RETURNS void LANGUAGE sql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_last_event_date(pid bigint) RETURNS date LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_latest_progress(pid bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_monitoring_json(pid bigint, t timestamp with time zone) RETURNS json LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_municipalities(pid bigint) RETURNS text[] LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_municipality_shares(pid bigint) RETURNS text LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_progress(pids bigint[], t timestamp with time zone) RETURNS TABLE(project_id bigint, reports integer, last_report date, physical_pct numeric, committed_tnd numeric, paid_tnd numeric, report_blocked boolean, report_blocked_cause text, stalled_since date) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_refresh(pids bigint[]) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_shares(pids bigint[], t timestamp with time zone) RETURNS TABLE(project_id bigint, level text, bucket text, unit_code text, reason text, share numeric) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_state(pids bigint[], t timestamp with time zone) RETURNS TABLE(project_id bigint, status text, physical_pct numeric, committed_tnd numeric, paid_tnd numeric, reports integer, last_report date, execution_rate numeric, start_delay_days integer, end_delay_days integer, delayed boolean, blocked boolean, blocked_cause text) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_status_at(pids bigint[], t timestamp with time zone) RETURNS TABLE(project_id bigint, status text, status_note text) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_visible(p_id bigint, p_public boolean, p_partner text, s_all boolean, s_partner text, s_municipalities text[]) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_project_warnings(pid bigint) RETURNS jsonb LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_contact(p_id bigint, actor text, why text) RETURNS TABLE(name text, contact text) LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_geom(geojson text) RETURNS public.geometry LANGUAGE plpgsql IMMUTABLE STRICT AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_public(p_hidden boolean, p_awaiting boolean) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE TABLE public.participation_zone (
    id bigint NOT NULL,
    municipality_code text NOT NULL,
    code text NOT NULL,
    name_ar text,
    name_fr text,
    population bigint,
    source text,
    attrs jsonb DEFAULT '{}'::jsonb NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    CONSTRAINT participation_zone_population_check CHECK (((population IS NULL) OR (population >= 0)))
);
CREATE TABLE public.project (
    id bigint NOT NULL,
    code text NOT NULL,
    title_fr text,
    title_ar text,
    title_en text,
    description_fr text,
    description_ar text,
    description_en text,
    theme text,
    project_type text,
    owner text,
    partner text,
    status text DEFAULT 'identified'::text NOT NULL,
    planned_start date,
    planned_end date,
    actual_start date,
    actual_end date,
    budget_tnd numeric(18,3),
    beneficiaries bigint,
    is_public boolean DEFAULT true NOT NULL,
    source text,
    attrs jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    revision integer DEFAULT 1 NOT NULL,
    CONSTRAINT project_beneficiaries_check CHECK (((beneficiaries IS NULL) OR (beneficiaries >= 0))),
    CONSTRAINT project_budget_finite CHECK (((budget_tnd IS NULL) OR (budget_tnd <> 'NaN'::numeric))),
    CONSTRAINT project_budget_tnd_check CHECK (((budget_tnd IS NULL) OR (budget_tnd >= (0)::numeric)))
);
CREATE TABLE public.proposal (
    id bigint NOT NULL,
    theme text NOT NULL,
    lang text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    address text,
    geom public.geometry(Geometry,4326) NOT NULL,
    geom_3857 public.geometry(Geometry,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    municipality_code text,
    delegation_code text,
    zone_id bigint,
    landuse_class text,
    conformity_hint text,
    state text DEFAULT 'published'::text NOT NULL,
    answer text,
    answered_at timestamp with time zone,
    draft_state text,
    draft_answer text,
    merged_into bigint,
    project_id bigint,
    hidden boolean DEFAULT false NOT NULL,
    awaiting_moderation boolean DEFAULT false NOT NULL,
    edit_token_sha256 text NOT NULL,
    participant_sha256 text,
    published_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    withdrawn_at timestamp with time zone,
    CONSTRAINT proposal_address_check CHECK ((length(address) <= 500)),
    CONSTRAINT proposal_body_check CHECK (((length(body) >= 1) AND (length(body) <= 10000))),
    CONSTRAINT proposal_check CHECK (((merged_into IS NULL) OR (merged_into <> id))),
    CONSTRAINT proposal_geom_check CHECK (((public.geometrytype(geom) = ANY (ARRAY['POINT'::text, 'POLYGON'::text, 'MULTIPOLYGON'::text])) AND public.st_isvalid(geom))),
    CONSTRAINT proposal_lang_check CHECK ((lang = ANY (ARRAY['ar'::text, 'fr'::text]))),
    CONSTRAINT proposal_title_check CHECK (((length(title) >= 1) AND (length(title) <= 500)))
);
CREATE TABLE public.proposal_comment (
    id bigint NOT NULL,
    proposal_id bigint NOT NULL,
    parent_id bigint,
    body text NOT NULL,
    participant_sha256 text NOT NULL,
    hidden boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    awaiting_moderation boolean DEFAULT false NOT NULL,
    CONSTRAINT proposal_comment_body_check CHECK (((length(body) >= 1) AND (length(body) <= 2000)))
);
CREATE TABLE public.proposal_support (
    proposal_id bigint NOT NULL,
    participant_sha256 text NOT NULL,
    verified boolean DEFAULT false NOT NULL,
    meeting_id bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE VIEW public.proposal_public AS
 SELECT p.id,
    p.theme,
    p.lang,
    p.title,
    p.body,
    p.address,
    p.geom,
    p.geom_3857,
    p.municipality_code,
    p.delegation_code,
    p.zone_id,
    z.code AS zone_code,
    p.landuse_class,
    p.conformity_hint,
    p.state,
        CASE
            WHEN (p.answered_at IS NOT NULL) THEN p.answer
            ELSE NULL::text
        END AS answer,
    p.answered_at,
    p.merged_into,
        CASE
            WHEN ((pr.id IS NOT NULL) AND public.mk_project_visible(pr.id, pr.is_public, pr.partner, false, NULL::text, '{}'::text[])) THEN pr.code
            ELSE NULL::text
        END AS project_code,
    p.published_at,
    p.updated_at,
    p.withdrawn_at,
    ( SELECT count(*) AS count
           FROM public.proposal_support s
          WHERE (s.proposal_id = p.id)) AS supports,
    ( SELECT count(*) AS count
           FROM public.proposal_support s
          WHERE ((s.proposal_id = p.id) AND s.verified)) AS verified_supports,
    ( SELECT count(*) AS count
           FROM public.proposal_comment c
          WHERE ((c.proposal_id = p.id) AND public.mk_proposal_public(c.hidden, c.awaiting_moderation))) AS comments
   FROM ((public.proposal p
     LEFT JOIN public.participation_zone z ON ((z.id = p.zone_id)))
     LEFT JOIN public.project pr ON ((pr.id = p.project_id)))
  WHERE public.mk_proposal_public(p.hidden, p.awaiting_moderation);
CREATE FUNCTION public.mk_proposal_public_json(q public.proposal_public) RETURNS jsonb LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_receipt(p public.proposal) RETURNS text LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_retag(ids bigint[]) RETURNS integer LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_retag_near(geoms public.geometry[], codes text[]) RETURNS integer LANGUAGE sql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_retag_zones() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_similar(p_id bigint, g public.geometry, th text, p_metres double precision) RETURNS text LANGUAGE plpgsql STABLE SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_submit_receipt(p public.proposal) RETURNS text LANGUAGE plpgsql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_tag() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_proposal_transition(p_id bigint, p_state text, actor_kind text, actor text, p_answer text, p_merged_into bigint, publish boolean) RETURNS text LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_refresh_flush() RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_report_hide() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_rule_check() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_scratch(name text, shape regtype) RETURNS void LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_settlement_compute(unit_ids bigint[]) RETURNS TABLE(unit_id bigint, method text, facility_id bigint, geom public.geometry) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_admin_gen_insert() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_admin_gen_update() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_admin_piece_insert() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_bands() RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_cell(pt public.geometry, z integer, OUT cx integer, OUT cy integer) RETURNS record LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_cell_point(drawn public.geometry, label public.geometry) RETURNS public.geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_cell_ranges(zz integer) RETURNS TABLE(x0 integer, x1 integer, y0 integer, y1 integer) LANGUAGE plpgsql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_cell_rows(box public.geometry, s_all boolean, s_partner text, s_municipalities text[]) RETURNS TABLE(location_id bigint, pt public.geometry) LANGUAGE sql STABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_cells_box(cx0 integer, cy0 integer, cx1 integer, cy1 integer, z integer) RETURNS public.geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_cells_mark(rows text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_cells_store(x xid8) RETURNS void LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_change_commit() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_change_prune() RETURNS bigint LANGUAGE sql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_changed_since(t timestamp with time zone) RETURNS text[] LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_grid(z integer) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_landuse_gen_insert() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_landuse_gen_update() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_landuse_piece_insert() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_notify(sources text[], boxes public.box2d[]) RETURNS void LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_notify_admin() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_notify_location() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_notify_project() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_notify_proposal() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_notify_rows() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_notify_unit_figures() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_pieces(gen public.geometry, zoom integer) RETURNS TABLE(x integer, y integer, piece public.geometry) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_tile_versions(sources text[]) RETURNS TABLE(source text, version bigint) LANGUAGE sql STABLE AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_event_insert() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_facility_changed() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_funding_changed() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_indicator_inputs() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_indicator_rows_flush() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_layer_changed() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_location_delete() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_location_disclose() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_location_insert() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_location_update() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_project_delete() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_project_feature() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_project_insert() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_project_update() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_rule_changed() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_tile_cells() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_tile_cells_flush() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_tile_cells_project() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_unit_changed() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_trg_zone_changed() RETURNS trigger LANGUAGE plpgsql SET jit TO 'off' AS $$ (db/functions) $$;
CREATE TABLE public.unit_indicator_row (
    unit_id bigint NOT NULL,
    level text NOT NULL,
    code text NOT NULL,
    version integer,
    name_ar text,
    name_fr text,
    name_en text,
    parent_code text,
    governorate_code text,
    population bigint,
    population_year integer,
    population_source text,
    project_count integer,
    budget_tnd numeric,
    budget_per_inhabitant numeric,
    beneficiaries bigint,
    committed_tnd numeric,
    paid_tnd numeric,
    execution_rate numeric,
    projects_with_progress integer,
    delayed_count integer,
    blocked_count integer,
    rank_in_governorate integer,
    units_in_governorate integer,
    school_count integer,
    school_per_10k numeric,
    school_nearest_km numeric,
    health_count integer,
    health_per_10k numeric,
    health_nearest_km numeric,
    administration_count integer,
    administration_per_10k numeric,
    administration_nearest_km numeric,
    post_count integer,
    post_per_10k numeric,
    post_nearest_km numeric,
    police_count integer,
    police_per_10k numeric,
    police_nearest_km numeric,
    settlement_method text,
    by_theme jsonb,
    by_status jsonb,
    by_funding jsonb,
    computed_at timestamp with time zone
);
CREATE FUNCTION public.mk_unit_indicator_rows(lv text, t timestamp with time zone) RETURNS SETOF public.unit_indicator_row LANGUAGE sql STABLE SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_unit_indicators(lv text, t timestamp with time zone) RETURNS SETOF public.unit_indicator_row LANGUAGE sql STABLE SET jit TO 'off' AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_units_notify() RETURNS trigger LANGUAGE plpgsql AS $$ (db/functions) $$;
CREATE FUNCTION public.mk_write_lock() RETURNS void LANGUAGE sql AS $$ (db/functions) $$;
CREATE TABLE public._sqlx_migrations (
    version bigint NOT NULL,
    description text NOT NULL,
    installed_on timestamp with time zone DEFAULT now() NOT NULL,
    success boolean NOT NULL,
    checksum bytea NOT NULL,
    execution_time bigint NOT NULL
);
CREATE TABLE public.admin_level (
    level text NOT NULL,
    hierarchy text NOT NULL,
    depth integer NOT NULL,
    name_fr text NOT NULL,
    name_ar text NOT NULL,
    name_en text NOT NULL,
    CONSTRAINT admin_level_hierarchy_check CHECK ((hierarchy = ANY (ARRAY['state'::text, 'municipal'::text])))
);
CREATE TABLE public.admin_unit (
    id bigint NOT NULL,
    level text NOT NULL,
    code text NOT NULL,
    parent_code text,
    name_ar text,
    name_fr text,
    name_en text,
    search_key text GENERATED ALWAYS AS (public.mk_fold(((((COALESCE(name_ar, ''::text) || ' '::text) || COALESCE(name_fr, ''::text)) || ' '::text) || COALESCE(name_en, ''::text)))) STORED,
    attrs jsonb DEFAULT '{}'::jsonb NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    valid_from timestamp with time zone DEFAULT now() NOT NULL,
    valid_to timestamp with time zone,
    source text,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    area_km2 double precision GENERATED ALWAYS AS ((public.st_area((geom)::public.geography) / ('1000000'::numeric)::double precision)) STORED,
    geojson text GENERATED ALWAYS AS (public.st_asgeojson(geom, 7)) STORED,
    CONSTRAINT admin_unit_check CHECK (((valid_to IS NULL) OR (valid_to >= valid_from)))
);
ALTER TABLE ONLY public.admin_unit ALTER COLUMN geojson SET STORAGE EXTERNAL;
CREATE VIEW public.admin_unit_current AS
 SELECT admin_unit.id,
    admin_unit.level,
    admin_unit.code,
    admin_unit.parent_code,
    admin_unit.name_ar,
    admin_unit.name_fr,
    admin_unit.name_en,
    admin_unit.search_key,
    admin_unit.attrs,
    admin_unit.version,
    admin_unit.valid_from,
    admin_unit.valid_to,
    admin_unit.source,
    admin_unit.geom,
    admin_unit.geom_3857,
    admin_unit.area_km2,
    admin_unit.geojson
   FROM public.admin_unit
  WHERE (admin_unit.valid_to IS NULL);
CREATE SEQUENCE public.admin_unit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.admin_unit_id_seq OWNED BY public.admin_unit.id;
CREATE TABLE public.admin_unit_piece (
    id bigint NOT NULL,
    unit_id bigint NOT NULL,
    level text NOT NULL,
    code text NOT NULL,
    unit_version integer NOT NULL,
    geom public.geometry(Geometry,4326) NOT NULL
);
ALTER TABLE public.admin_unit_piece ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.admin_unit_piece_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE public.api_key (
    id bigint NOT NULL,
    prefix text NOT NULL,
    secret_sha256 text NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    municipalities text[] DEFAULT '{}'::text[] NOT NULL,
    partner text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone,
    CONSTRAINT api_key_check CHECK (((role <> 'partner'::text) OR (partner IS NOT NULL))),
    CONSTRAINT api_key_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'planner'::text, 'partner'::text])))
);
CREATE SEQUENCE public.api_key_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.api_key_id_seq OWNED BY public.api_key.id;
CREATE TABLE public.assignment_queue (
    id bigint NOT NULL,
    level text NOT NULL,
    gone bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    added bigint[] DEFAULT '{}'::bigint[] NOT NULL,
    codes text[] DEFAULT '{}'::text[] NOT NULL
);
CREATE SEQUENCE public.assignment_queue_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.assignment_queue_id_seq OWNED BY public.assignment_queue.id;
CREATE TABLE public.conformity_rule (
    project_type text NOT NULL,
    class text NOT NULL,
    outcome text NOT NULL,
    note_fr text,
    note_ar text,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text DEFAULT 'default'::text NOT NULL,
    CONSTRAINT conformity_rule_outcome_check CHECK ((outcome = ANY (ARRAY['allowed'::text, 'conditional'::text, 'forbidden'::text])))
);
CREATE TABLE public.disclosure_secret (
    only_row boolean DEFAULT true NOT NULL,
    secret bytea NOT NULL,
    CONSTRAINT disclosure_secret_only_row_check CHECK (only_row),
    CONSTRAINT disclosure_secret_secret_check CHECK ((length(secret) >= 32))
);
CREATE TABLE public.facility (
    id bigint NOT NULL,
    source_id text NOT NULL,
    kind text NOT NULL,
    subtype text,
    name text,
    name_ar text,
    name_fr text,
    source text,
    attrs jsonb DEFAULT '{}'::jsonb NOT NULL,
    geom public.geometry(Point,4326) NOT NULL,
    geom_3857 public.geometry(Point,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED,
    CONSTRAINT facility_kind_check CHECK ((kind = ANY (ARRAY['school'::text, 'health'::text, 'administration'::text, 'post'::text, 'police'::text, 'other'::text])))
);
CREATE SEQUENCE public.facility_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.facility_id_seq OWNED BY public.facility.id;
CREATE TABLE public.funding_apportionment (
    funding_line_id bigint NOT NULL,
    project_id bigint NOT NULL,
    level text NOT NULL,
    bucket text NOT NULL,
    source_kind text NOT NULL,
    amount_tnd numeric(18,3) NOT NULL
);
CREATE TABLE public.funding_line (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    source_kind text NOT NULL,
    funder text,
    amount numeric(18,3) NOT NULL,
    currency text DEFAULT 'TND'::text NOT NULL,
    amount_tnd numeric(18,3) NOT NULL,
    note text,
    CONSTRAINT funding_line_amount_check CHECK ((amount >= (0)::numeric)),
    CONSTRAINT funding_line_amount_tnd_check CHECK ((amount_tnd >= (0)::numeric)),
    CONSTRAINT funding_line_finite CHECK (((amount <> 'NaN'::numeric) AND (amount_tnd <> 'NaN'::numeric))),
    CONSTRAINT funding_line_source_kind_check CHECK ((source_kind = ANY (ARRAY['own_resources'::text, 'state_transfer'::text, 'cpscl_loan'::text, 'cpscl_grant'::text, 'donor_loan'::text, 'donor_grant'::text, 'other'::text])))
);
CREATE SEQUENCE public.funding_line_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.funding_line_id_seq OWNED BY public.funding_line.id;
CREATE TABLE public.iati_activity (
    project_id bigint NOT NULL,
    identifier text NOT NULL,
    reporting_ref text,
    reporting_type text,
    reporting_names jsonb,
    first_seen_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.iati_admin_level (
    level text NOT NULL,
    iati_level integer NOT NULL
);
CREATE TABLE public.iati_reporting_org (
    singleton boolean DEFAULT true NOT NULL,
    ref text NOT NULL,
    org_type text DEFAULT '10'::text NOT NULL,
    name_fr text NOT NULL,
    name_ar text NOT NULL,
    name_en text NOT NULL,
    CONSTRAINT iati_reporting_org_ref_check CHECK ((ref ~ '^[A-Za-z0-9._-]+$'::text)),
    CONSTRAINT iati_reporting_org_singleton_check CHECK (singleton)
);
CREATE TABLE public.iati_sector (
    theme text NOT NULL,
    dac_code text NOT NULL,
    CONSTRAINT iati_sector_dac_code_check CHECK ((dac_code ~ '^[0-9]{5}$'::text))
);
CREATE TABLE public.import_run (
    id bigint NOT NULL,
    target text NOT NULL,
    path text NOT NULL,
    layer text,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    read integer NOT NULL,
    inserted integer NOT NULL,
    updated integer NOT NULL,
    unchanged integer NOT NULL,
    repaired integer NOT NULL,
    rejected integer NOT NULL,
    report jsonb DEFAULT '[]'::jsonb NOT NULL
);
CREATE SEQUENCE public.import_run_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.import_run_id_seq OWNED BY public.import_run.id;
CREATE TABLE public.landuse_class (
    class text NOT NULL,
    family text NOT NULL,
    name_fr text NOT NULL,
    name_ar text NOT NULL,
    name_en text NOT NULL
);
CREATE TABLE public.landuse_layer (
    id bigint NOT NULL,
    slug text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    municipality_code text,
    version integer DEFAULT 1 NOT NULL,
    approved_on date,
    source text,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT landuse_layer_kind_check CHECK ((kind = ANY (ARRAY['zoning_plan'::text, 'constraint'::text, 'perimeter'::text])))
);
CREATE VIEW public.landuse_layer_current AS
 SELECT l.id,
    l.slug,
    l.name,
    l.kind,
    l.municipality_code,
    l.version,
    l.approved_on,
    l.source,
    l.notes,
    l.created_at
   FROM public.landuse_layer l
  WHERE (NOT (EXISTS ( SELECT 1
           FROM public.landuse_layer n
          WHERE ((n.slug = l.slug) AND (n.version > l.version)))));
CREATE SEQUENCE public.landuse_layer_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.landuse_layer_id_seq OWNED BY public.landuse_layer.id;
CREATE TABLE public.landuse_zone (
    id bigint NOT NULL,
    layer_id bigint NOT NULL,
    source_id text NOT NULL,
    zone_code text NOT NULL,
    class text NOT NULL,
    municipality_code text,
    label_fr text,
    label_ar text,
    attrs jsonb DEFAULT '{}'::jsonb NOT NULL,
    geom public.geometry(MultiPolygon,4326) NOT NULL,
    geom_3857 public.geometry(MultiPolygon,3857) GENERATED ALWAYS AS (public.st_transform(geom, 3857)) STORED
);
CREATE SEQUENCE public.landuse_zone_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.landuse_zone_id_seq OWNED BY public.landuse_zone.id;
CREATE TABLE public.landuse_zone_piece (
    id bigint NOT NULL,
    zone_id bigint NOT NULL,
    layer_id bigint NOT NULL,
    class text NOT NULL,
    geom public.geometry(Geometry,4326) NOT NULL
);
ALTER TABLE public.landuse_zone_piece ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.landuse_zone_piece_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE public.location_assignment (
    id bigint NOT NULL,
    location_id bigint NOT NULL,
    project_id bigint NOT NULL,
    level text NOT NULL,
    unit_id bigint,
    unit_code text,
    unit_version integer,
    share double precision NOT NULL,
    method text NOT NULL,
    "precision" text NOT NULL,
    precision_flag text,
    valid_from timestamp with time zone DEFAULT now() NOT NULL,
    valid_to timestamp with time zone,
    CONSTRAINT location_assignment_check CHECK (((valid_to IS NULL) OR (valid_to > valid_from))),
    CONSTRAINT location_assignment_check1 CHECK (((unit_id IS NULL) = (method = ANY (ARRAY['outside'::text, 'national'::text, 'coarser_precision'::text])))),
    CONSTRAINT location_assignment_method_check CHECK ((method = ANY (ARRAY['point_in_unit'::text, 'point_on_boundary'::text, 'length_share'::text, 'area_share'::text, 'declared_unit'::text, 'via_declared_unit'::text, 'outside'::text, 'national'::text, 'coarser_precision'::text]))),
    CONSTRAINT location_assignment_precision_flag_check CHECK ((precision_flag = ANY (ARRAY['approximate'::text, 'unit_code_not_found'::text, 'degenerate_geometry'::text]))),
    CONSTRAINT location_assignment_share_check CHECK (((share > (0)::double precision) AND (share <= (1.000001)::double precision)))
);
CREATE SEQUENCE public.location_assignment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.location_assignment_id_seq OWNED BY public.location_assignment.id;
CREATE TABLE public.location_conformity (
    location_id bigint NOT NULL,
    project_id bigint NOT NULL,
    verdict text NOT NULL,
    reason text,
    outside_share double precision,
    forbidden_share double precision,
    conditional_share double precision,
    allowed_share double precision,
    parts jsonb NOT NULL,
    summary_fr text,
    summary_ar text,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT location_conformity_verdict_check CHECK ((verdict = ANY (ARRAY['allowed'::text, 'conditional'::text, 'forbidden'::text, 'not_assessed'::text])))
);
CREATE TABLE public.location_zone (
    location_id bigint NOT NULL,
    project_id bigint NOT NULL,
    zone_id bigint NOT NULL,
    layer_id bigint NOT NULL,
    class text NOT NULL,
    share double precision NOT NULL
);
CREATE TABLE public.meeting (
    id bigint NOT NULL,
    municipality_code text NOT NULL,
    zone_id bigint,
    held_at timestamp with time zone NOT NULL,
    place_name text,
    geom public.geometry(Point,4326),
    agenda text,
    minutes text,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT meeting_agenda_check CHECK ((length(agenda) <= 10000)),
    CONSTRAINT meeting_minutes_check CHECK ((length(minutes) <= 10000)),
    CONSTRAINT meeting_place_name_check CHECK ((length(place_name) <= 500))
);
CREATE TABLE public.meeting_attendance (
    meeting_id bigint NOT NULL,
    sex text NOT NULL,
    age_band text NOT NULL,
    count integer NOT NULL,
    CONSTRAINT meeting_attendance_age_band_check CHECK ((age_band = ANY (ARRAY['under_18'::text, '18_35'::text, '36_60'::text, 'over_60'::text]))),
    CONSTRAINT meeting_attendance_count_check CHECK ((count >= 0)),
    CONSTRAINT meeting_attendance_sex_check CHECK ((sex = ANY (ARRAY['female'::text, 'male'::text])))
);
CREATE TABLE public.meeting_code (
    code_sha256 text NOT NULL,
    meeting_id bigint NOT NULL,
    participant_sha256 text,
    used_at timestamp with time zone
);
CREATE TABLE public.meeting_delegate (
    id bigint NOT NULL,
    meeting_id bigint NOT NULL,
    name text NOT NULL,
    sex text,
    consent_public boolean DEFAULT false NOT NULL,
    CONSTRAINT meeting_delegate_name_check CHECK (((length(name) >= 1) AND (length(name) <= 500))),
    CONSTRAINT meeting_delegate_sex_check CHECK ((sex = ANY (ARRAY['female'::text, 'male'::text])))
);
CREATE SEQUENCE public.meeting_delegate_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.meeting_delegate_id_seq OWNED BY public.meeting_delegate.id;
CREATE SEQUENCE public.meeting_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.meeting_id_seq OWNED BY public.meeting.id;
CREATE TABLE public.meeting_priority (
    meeting_id bigint NOT NULL,
    rank integer NOT NULL,
    label text NOT NULL,
    proposal_id bigint,
    votes integer,
    CONSTRAINT meeting_priority_label_check CHECK (((length(label) >= 1) AND (length(label) <= 500))),
    CONSTRAINT meeting_priority_rank_check CHECK ((rank >= 1)),
    CONSTRAINT meeting_priority_votes_check CHECK (((votes IS NULL) OR (votes >= 0)))
);
CREATE TABLE public.mk_function_file (
    path text NOT NULL,
    checksum bytea NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.moderation_log (
    id bigint NOT NULL,
    proposal_id bigint NOT NULL,
    municipality_code text,
    action text NOT NULL,
    actor text NOT NULL,
    reason text,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    comment_id bigint,
    CONSTRAINT moderation_log_action_check CHECK ((action = ANY (ARRAY['auto_hide'::text, 'hide'::text, 'unhide'::text, 'clear'::text, 'approve'::text, 'answer'::text, 'publish_answer'::text, 'transition'::text, 'link_project'::text, 'settings'::text, 'contact'::text])))
);
CREATE SEQUENCE public.moderation_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.moderation_log_id_seq OWNED BY public.moderation_log.id;
CREATE TABLE public.overlay_edge (
    set_key text NOT NULL,
    geom public.geometry(Polygon,4326) NOT NULL
);
CREATE TABLE public.overlay_mask (
    set_key text NOT NULL,
    geom public.geometry(Geometry,4326) NOT NULL
);
CREATE TABLE public.overlay_mask_state (
    set_key text NOT NULL,
    fresh boolean NOT NULL
);
CREATE VIEW public.overlay_piece AS
 SELECT 'u'::text AS src,
    p.id,
    ('level:'::text || p.level) AS set_key,
    p.unit_id AS member_id,
    p.code,
    p.unit_version AS version,
    p.geom
   FROM public.admin_unit_piece p
UNION ALL
 SELECT 'z'::text AS src,
    z.id,
    ('layer:'::text || z.layer_id) AS set_key,
    z.zone_id AS member_id,
    z.class AS code,
    NULL::integer AS version,
    z.geom
   FROM public.landuse_zone_piece z;
CREATE TABLE public.participation_setting (
    municipality_code text NOT NULL,
    mode text DEFAULT 'publish_first'::text NOT NULL,
    report_threshold integer DEFAULT 3 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by text DEFAULT 'default'::text NOT NULL,
    CONSTRAINT participation_setting_mode_check CHECK ((mode = ANY (ARRAY['publish_first'::text, 'moderate_first'::text]))),
    CONSTRAINT participation_setting_report_threshold_check CHECK (((report_threshold >= 1) AND (report_threshold <= 1000)))
);
CREATE SEQUENCE public.participation_zone_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.participation_zone_id_seq OWNED BY public.participation_zone.id;
CREATE TABLE public.plan (
    id bigint NOT NULL,
    municipality_code text NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    period_start integer NOT NULL,
    period_end integer NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    adopted_on date,
    deliberation_ref text,
    envelope_tnd numeric(18,3),
    version integer DEFAULT 1 NOT NULL,
    previous_id bigint,
    created_by text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT plan_check CHECK ((period_end >= period_start)),
    CONSTRAINT plan_check1 CHECK (((status <> ALL (ARRAY['adopted'::text, 'implementation'::text, 'closed'::text])) OR (adopted_on IS NOT NULL))),
    CONSTRAINT plan_deliberation_ref_check CHECK ((length(deliberation_ref) <= 100)),
    CONSTRAINT plan_envelope_tnd_check CHECK (((envelope_tnd IS NULL) OR (envelope_tnd >= (0)::numeric))),
    CONSTRAINT plan_kind_check CHECK ((kind = ANY (ARRAY['PDL'::text, 'PIC'::text, 'PAI'::text]))),
    CONSTRAINT plan_period_end_check CHECK (((period_end >= 2000) AND (period_end <= 2100))),
    CONSTRAINT plan_period_start_check CHECK (((period_start >= 2000) AND (period_start <= 2100))),
    CONSTRAINT plan_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'consultation'::text, 'adopted'::text, 'implementation'::text, 'closed'::text]))),
    CONSTRAINT plan_title_check CHECK (((length(title) >= 1) AND (length(title) <= 500)))
);
CREATE SEQUENCE public.plan_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.plan_id_seq OWNED BY public.plan.id;
CREATE TABLE public.plan_line (
    id bigint NOT NULL,
    plan_id bigint NOT NULL,
    project_id bigint NOT NULL,
    year integer NOT NULL,
    amount_tnd numeric(18,3) NOT NULL,
    zone_id bigint,
    CONSTRAINT plan_line_amount_tnd_check CHECK ((amount_tnd >= (0)::numeric)),
    CONSTRAINT plan_line_year_check CHECK (((year >= 2000) AND (year <= 2100)))
);
CREATE SEQUENCE public.plan_line_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.plan_line_id_seq OWNED BY public.plan_line.id;
CREATE TABLE public.plan_stage (
    plan_id bigint NOT NULL,
    stage text NOT NULL,
    starts_on date,
    ends_on date,
    outputs jsonb DEFAULT '[]'::jsonb NOT NULL,
    CONSTRAINT plan_stage_check CHECK (((ends_on IS NULL) OR (starts_on IS NULL) OR (ends_on >= starts_on))),
    CONSTRAINT plan_stage_outputs_check CHECK ((jsonb_typeof(outputs) = 'array'::text)),
    CONSTRAINT plan_stage_stage_check CHECK ((stage = ANY (ARRAY['diagnosis'::text, 'planning'::text, 'implementation'::text, 'monitoring'::text])))
);
CREATE TABLE public.plan_status_transition (
    from_status text NOT NULL,
    to_status text NOT NULL,
    CONSTRAINT plan_status_transition_from_status_check CHECK ((from_status = ANY (ARRAY['draft'::text, 'consultation'::text, 'adopted'::text, 'implementation'::text, 'closed'::text]))),
    CONSTRAINT plan_status_transition_to_status_check CHECK ((to_status = ANY (ARRAY['draft'::text, 'consultation'::text, 'adopted'::text, 'implementation'::text, 'closed'::text])))
);
CREATE TABLE public.population (
    level text NOT NULL,
    code text NOT NULL,
    year integer NOT NULL,
    population bigint NOT NULL,
    source text NOT NULL,
    CONSTRAINT population_population_check CHECK ((population >= 0))
);
CREATE TABLE public.project_apportionment (
    project_id bigint NOT NULL,
    level text NOT NULL,
    bucket text NOT NULL,
    unit_code text,
    reason text,
    share numeric NOT NULL,
    budget_tnd numeric(18,3),
    beneficiaries bigint,
    committed_tnd numeric(18,3),
    paid_tnd numeric(18,3)
);
CREATE TABLE public.project_conformity (
    project_id bigint NOT NULL,
    verdict text NOT NULL,
    assessed integer NOT NULL,
    locations integer NOT NULL,
    forbidden_share double precision,
    reasons jsonb NOT NULL,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_conformity_verdict_check CHECK ((verdict = ANY (ARRAY['allowed'::text, 'conditional'::text, 'forbidden'::text, 'not_assessed'::text])))
);
CREATE VIEW public.project_conformity_layer AS
 SELECT l.id AS location_id,
    p.id AS project_id,
    p.code AS project_code,
    p.title_fr,
    p.title_ar,
    p.title_en,
    p.project_type,
    p.theme,
    p.status,
    p.partner,
    p.is_public,
    l."precision",
    l.place_name,
    pc.verdict,
    lc.verdict AS location_verdict,
    lc.reason AS verdict_reason,
    lc.forbidden_share,
    lc.conditional_share,
    lc.allowed_share,
    lc.outside_share,
    lc.summary_fr,
    lc.summary_ar,
    ARRAY( SELECT a.unit_code
           FROM public.location_assignment a
          WHERE ((a.location_id = l.id) AND (a.valid_to IS NULL) AND (a.level = 'municipality'::text) AND (a.unit_code IS NOT NULL))
          ORDER BY a.unit_code) AS municipality_codes,
    lc.computed_at,
    l.geom,
    l.geom_3857
   FROM (((public.project_location l
     JOIN public.project p ON ((p.id = l.project_id)))
     JOIN public.location_conformity lc ON ((lc.location_id = l.id)))
     JOIN public.project_conformity pc ON ((pc.project_id = p.id)));
CREATE TABLE public.project_event (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    project_code text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    kind text NOT NULL,
    author text NOT NULL,
    from_status text,
    to_status text,
    physical_pct numeric(5,2),
    committed_tnd numeric(18,3),
    paid_tnd numeric(18,3),
    note text,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT project_event_finite CHECK ((((committed_tnd IS NULL) OR (committed_tnd <> 'NaN'::numeric)) AND ((paid_tnd IS NULL) OR (paid_tnd <> 'NaN'::numeric)) AND ((committed_tnd IS NULL) OR (committed_tnd >= (0)::numeric)) AND ((paid_tnd IS NULL) OR (paid_tnd >= (0)::numeric)))),
    CONSTRAINT project_event_kind_check CHECK ((kind = ANY (ARRAY['created'::text, 'updated'::text, 'status'::text, 'progress'::text, 'deleted'::text, 'imported'::text]))),
    CONSTRAINT project_event_physical_pct_check CHECK (((physical_pct IS NULL) OR ((physical_pct >= (0)::numeric) AND (physical_pct <= (100)::numeric))))
);
CREATE SEQUENCE public.project_event_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.project_event_id_seq OWNED BY public.project_event.id;
CREATE TABLE public.project_feature (
    project_id bigint NOT NULL,
    locations integer NOT NULL,
    geojson text,
    physical_pct numeric(5,2)
);
ALTER TABLE ONLY public.project_feature ALTER COLUMN geojson SET STORAGE EXTERNAL;
CREATE SEQUENCE public.project_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.project_id_seq OWNED BY public.project.id;
CREATE SEQUENCE public.project_location_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.project_location_id_seq OWNED BY public.project_location.id;
CREATE TABLE public.project_monitor (
    project_id bigint NOT NULL,
    status text NOT NULL,
    physical_pct numeric,
    committed_tnd numeric(18,3),
    paid_tnd numeric(18,3),
    reports integer NOT NULL,
    last_report date,
    execution_rate numeric,
    start_delay_days integer,
    end_delay_days integer,
    delayed boolean NOT NULL,
    blocked boolean NOT NULL,
    blocked_cause text,
    computed_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.project_status (
    status text NOT NULL,
    iati_code integer NOT NULL,
    rank integer NOT NULL,
    name_fr text NOT NULL,
    name_ar text NOT NULL,
    name_en text NOT NULL
);
CREATE TABLE public.project_status_transition (
    from_status text NOT NULL,
    to_status text NOT NULL,
    note text,
    CONSTRAINT project_status_transition_check CHECK ((from_status <> to_status))
);
CREATE TABLE public.proposal_author (
    proposal_id bigint NOT NULL,
    name text,
    contact text,
    CONSTRAINT proposal_author_contact_check CHECK ((length(contact) <= 500)),
    CONSTRAINT proposal_author_name_check CHECK ((length(name) <= 500))
);
CREATE SEQUENCE public.proposal_comment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.proposal_comment_id_seq OWNED BY public.proposal_comment.id;
CREATE TABLE public.proposal_comment_report (
    comment_id bigint NOT NULL,
    participant_sha256 text NOT NULL,
    reason text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    cleared_at timestamp with time zone,
    CONSTRAINT proposal_comment_report_reason_check CHECK ((reason = ANY (ARRAY['spam'::text, 'offensive'::text, 'off_topic'::text])))
);
CREATE SEQUENCE public.proposal_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE public.proposal_id_seq OWNED BY public.proposal.id;
CREATE TABLE public.proposal_report (
    proposal_id bigint NOT NULL,
    participant_sha256 text NOT NULL,
    reason text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    cleared_at timestamp with time zone,
    CONSTRAINT proposal_report_reason_check CHECK ((reason = ANY (ARRAY['spam'::text, 'offensive'::text, 'off_topic'::text])))
);
CREATE TABLE public.proposal_state (
    state text NOT NULL,
    name_fr text NOT NULL,
    name_ar text NOT NULL
);
CREATE TABLE public.proposal_theme (
    theme text NOT NULL,
    project_type text NOT NULL,
    name_fr text NOT NULL,
    name_ar text NOT NULL
);
CREATE TABLE public.proposal_transition (
    from_state text NOT NULL,
    to_state text NOT NULL,
    actor text NOT NULL,
    CONSTRAINT proposal_transition_actor_check CHECK ((actor = ANY (ARRAY['moderator'::text, 'author'::text])))
);
CREATE TABLE public.tile_admin_gen (
    unit_id bigint NOT NULL,
    level text NOT NULL,
    band smallint NOT NULL,
    geom public.geometry(MultiPolygon,3857) NOT NULL
);
CREATE TABLE public.tile_admin_label (
    unit_id bigint NOT NULL,
    level text NOT NULL,
    geom public.geometry(Point,3857) NOT NULL
);
CREATE TABLE public.tile_admin_piece (
    unit_id bigint NOT NULL,
    level text NOT NULL,
    z smallint NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    geom public.geometry NOT NULL
);
CREATE TABLE public.tile_cell (
    z smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    n integer NOT NULL,
    sx bigint NOT NULL,
    sy bigint NOT NULL
);
CREATE TABLE public.tile_cell_dirty (
    xact xid8 NOT NULL
);
CREATE TABLE public.tile_cell_mark (
    xact xid8 NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL
);
CREATE TABLE public.tile_change (
    source text NOT NULL,
    id bigint NOT NULL,
    at timestamp with time zone
);
CREATE SEQUENCE public.tile_change_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
CREATE TABLE public.tile_landuse_gen (
    zone_id bigint NOT NULL,
    band smallint NOT NULL,
    geom public.geometry(MultiPolygon,3857) NOT NULL
);
CREATE TABLE public.tile_landuse_piece (
    zone_id bigint NOT NULL,
    z smallint NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    geom public.geometry NOT NULL
);
CREATE TABLE public.unit_facility (
    unit_id bigint NOT NULL,
    kind text NOT NULL,
    facilities integer NOT NULL,
    nearest_km double precision,
    nearest_facility_id bigint
);
CREATE TABLE public.unit_indicator (
    level text NOT NULL,
    bucket text NOT NULL,
    unit_code text,
    reason text,
    project_count integer NOT NULL,
    budget_tnd numeric(18,3) NOT NULL,
    beneficiaries bigint NOT NULL,
    committed_tnd numeric(18,3) NOT NULL,
    paid_tnd numeric(18,3) NOT NULL,
    projects_with_progress integer NOT NULL,
    delayed_count integer NOT NULL,
    blocked_count integer NOT NULL,
    by_theme jsonb NOT NULL,
    by_status jsonb NOT NULL,
    by_funding jsonb NOT NULL,
    computed_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.unit_indicator_stale (
    xact xid8 NOT NULL
);
CREATE VIEW public.unit_indicators_layer AS
 SELECT r.unit_id,
    r.level,
    r.code,
    r.version,
    r.name_ar,
    r.name_fr,
    r.name_en,
    r.parent_code,
    r.governorate_code,
    r.population,
    r.population_year,
    r.population_source,
    r.project_count,
    r.budget_tnd,
    r.budget_per_inhabitant,
    r.beneficiaries,
    r.committed_tnd,
    r.paid_tnd,
    r.execution_rate,
    r.projects_with_progress,
    r.delayed_count,
    r.blocked_count,
    r.rank_in_governorate,
    r.units_in_governorate,
    r.school_count,
    r.school_per_10k,
    r.school_nearest_km,
    r.health_count,
    r.health_per_10k,
    r.health_nearest_km,
    r.administration_count,
    r.administration_per_10k,
    r.administration_nearest_km,
    r.post_count,
    r.post_per_10k,
    r.post_nearest_km,
    r.police_count,
    r.police_per_10k,
    r.police_nearest_km,
    r.settlement_method,
    r.by_theme,
    r.by_status,
    r.by_funding,
    r.computed_at,
    u.geom,
    u.geom_3857
   FROM (public.unit_indicator_row r
     JOIN public.admin_unit u ON ((u.id = r.unit_id)));
CREATE TABLE public.unit_settlement (
    unit_id bigint NOT NULL,
    method text NOT NULL,
    facility_id bigint,
    geom public.geometry(Point,4326) NOT NULL
);
ALTER TABLE ONLY public.admin_unit ALTER COLUMN id SET DEFAULT nextval('public.admin_unit_id_seq'::regclass);
ALTER TABLE ONLY public.api_key ALTER COLUMN id SET DEFAULT nextval('public.api_key_id_seq'::regclass);
ALTER TABLE ONLY public.assignment_queue ALTER COLUMN id SET DEFAULT nextval('public.assignment_queue_id_seq'::regclass);
ALTER TABLE ONLY public.facility ALTER COLUMN id SET DEFAULT nextval('public.facility_id_seq'::regclass);
ALTER TABLE ONLY public.funding_line ALTER COLUMN id SET DEFAULT nextval('public.funding_line_id_seq'::regclass);
ALTER TABLE ONLY public.import_run ALTER COLUMN id SET DEFAULT nextval('public.import_run_id_seq'::regclass);
ALTER TABLE ONLY public.landuse_layer ALTER COLUMN id SET DEFAULT nextval('public.landuse_layer_id_seq'::regclass);
ALTER TABLE ONLY public.landuse_zone ALTER COLUMN id SET DEFAULT nextval('public.landuse_zone_id_seq'::regclass);
ALTER TABLE ONLY public.location_assignment ALTER COLUMN id SET DEFAULT nextval('public.location_assignment_id_seq'::regclass);
ALTER TABLE ONLY public.meeting ALTER COLUMN id SET DEFAULT nextval('public.meeting_id_seq'::regclass);
ALTER TABLE ONLY public.meeting_delegate ALTER COLUMN id SET DEFAULT nextval('public.meeting_delegate_id_seq'::regclass);
ALTER TABLE ONLY public.moderation_log ALTER COLUMN id SET DEFAULT nextval('public.moderation_log_id_seq'::regclass);
ALTER TABLE ONLY public.participation_zone ALTER COLUMN id SET DEFAULT nextval('public.participation_zone_id_seq'::regclass);
ALTER TABLE ONLY public.plan ALTER COLUMN id SET DEFAULT nextval('public.plan_id_seq'::regclass);
ALTER TABLE ONLY public.plan_line ALTER COLUMN id SET DEFAULT nextval('public.plan_line_id_seq'::regclass);
ALTER TABLE ONLY public.project ALTER COLUMN id SET DEFAULT nextval('public.project_id_seq'::regclass);
ALTER TABLE ONLY public.project_event ALTER COLUMN id SET DEFAULT nextval('public.project_event_id_seq'::regclass);
ALTER TABLE ONLY public.project_location ALTER COLUMN id SET DEFAULT nextval('public.project_location_id_seq'::regclass);
ALTER TABLE ONLY public.proposal ALTER COLUMN id SET DEFAULT nextval('public.proposal_id_seq'::regclass);
ALTER TABLE ONLY public.proposal_comment ALTER COLUMN id SET DEFAULT nextval('public.proposal_comment_id_seq'::regclass);
ALTER TABLE ONLY public._sqlx_migrations
    ADD CONSTRAINT _sqlx_migrations_pkey PRIMARY KEY (version);
ALTER TABLE ONLY public.admin_level
    ADD CONSTRAINT admin_level_pkey PRIMARY KEY (level);
ALTER TABLE ONLY public.admin_unit
    ADD CONSTRAINT admin_unit_level_code_version_key UNIQUE (level, code, version);
ALTER TABLE ONLY public.admin_unit_piece
    ADD CONSTRAINT admin_unit_piece_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.admin_unit
    ADD CONSTRAINT admin_unit_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.api_key
    ADD CONSTRAINT api_key_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.api_key
    ADD CONSTRAINT api_key_prefix_key UNIQUE (prefix);
ALTER TABLE ONLY public.assignment_queue
    ADD CONSTRAINT assignment_queue_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.conformity_rule
    ADD CONSTRAINT conformity_rule_pkey PRIMARY KEY (project_type, class);
ALTER TABLE ONLY public.disclosure_secret
    ADD CONSTRAINT disclosure_secret_pkey PRIMARY KEY (only_row);
ALTER TABLE ONLY public.facility
    ADD CONSTRAINT facility_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.facility
    ADD CONSTRAINT facility_source_id_key UNIQUE (source_id);
ALTER TABLE ONLY public.funding_apportionment
    ADD CONSTRAINT funding_apportionment_pkey PRIMARY KEY (funding_line_id, level, bucket);
ALTER TABLE ONLY public.funding_line
    ADD CONSTRAINT funding_line_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.iati_activity
    ADD CONSTRAINT iati_activity_identifier_key UNIQUE (identifier);
ALTER TABLE ONLY public.iati_activity
    ADD CONSTRAINT iati_activity_pkey PRIMARY KEY (project_id);
ALTER TABLE ONLY public.iati_admin_level
    ADD CONSTRAINT iati_admin_level_iati_level_key UNIQUE (iati_level);
ALTER TABLE ONLY public.iati_admin_level
    ADD CONSTRAINT iati_admin_level_pkey PRIMARY KEY (level);
ALTER TABLE ONLY public.iati_reporting_org
    ADD CONSTRAINT iati_reporting_org_pkey PRIMARY KEY (singleton);
ALTER TABLE ONLY public.iati_sector
    ADD CONSTRAINT iati_sector_dac_code_key UNIQUE (dac_code);
ALTER TABLE ONLY public.iati_sector
    ADD CONSTRAINT iati_sector_pkey PRIMARY KEY (theme);
ALTER TABLE ONLY public.import_run
    ADD CONSTRAINT import_run_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.landuse_class
    ADD CONSTRAINT landuse_class_pkey PRIMARY KEY (class);
ALTER TABLE ONLY public.landuse_layer
    ADD CONSTRAINT landuse_layer_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.landuse_layer
    ADD CONSTRAINT landuse_layer_slug_version_key UNIQUE (slug, version);
ALTER TABLE ONLY public.landuse_zone
    ADD CONSTRAINT landuse_zone_layer_id_source_id_key UNIQUE (layer_id, source_id);
ALTER TABLE ONLY public.landuse_zone_piece
    ADD CONSTRAINT landuse_zone_piece_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.landuse_zone
    ADD CONSTRAINT landuse_zone_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.location_assignment
    ADD CONSTRAINT location_assignment_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.location_conformity
    ADD CONSTRAINT location_conformity_pkey PRIMARY KEY (location_id);
ALTER TABLE ONLY public.location_zone
    ADD CONSTRAINT location_zone_pkey PRIMARY KEY (location_id, zone_id);
ALTER TABLE ONLY public.meeting_attendance
    ADD CONSTRAINT meeting_attendance_pkey PRIMARY KEY (meeting_id, sex, age_band);
ALTER TABLE ONLY public.meeting_code
    ADD CONSTRAINT meeting_code_pkey PRIMARY KEY (code_sha256);
ALTER TABLE ONLY public.meeting_delegate
    ADD CONSTRAINT meeting_delegate_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.meeting_priority
    ADD CONSTRAINT meeting_priority_pkey PRIMARY KEY (meeting_id, rank);
ALTER TABLE ONLY public.mk_function_file
    ADD CONSTRAINT mk_function_file_pkey PRIMARY KEY (path);
ALTER TABLE ONLY public.moderation_log
    ADD CONSTRAINT moderation_log_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.overlay_mask_state
    ADD CONSTRAINT overlay_mask_state_pkey PRIMARY KEY (set_key);
ALTER TABLE ONLY public.participation_setting
    ADD CONSTRAINT participation_setting_pkey PRIMARY KEY (municipality_code);
ALTER TABLE ONLY public.participation_zone
    ADD CONSTRAINT participation_zone_municipality_code_code_key UNIQUE (municipality_code, code);
ALTER TABLE ONLY public.participation_zone
    ADD CONSTRAINT participation_zone_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.plan_line
    ADD CONSTRAINT plan_line_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.plan_line
    ADD CONSTRAINT plan_line_plan_id_project_id_year_key UNIQUE (plan_id, project_id, year);
ALTER TABLE ONLY public.plan
    ADD CONSTRAINT plan_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.plan_stage
    ADD CONSTRAINT plan_stage_pkey PRIMARY KEY (plan_id, stage);
ALTER TABLE ONLY public.plan_status_transition
    ADD CONSTRAINT plan_status_transition_pkey PRIMARY KEY (from_status, to_status);
ALTER TABLE ONLY public.population
    ADD CONSTRAINT population_pkey PRIMARY KEY (level, code, year, source);
ALTER TABLE ONLY public.project_apportionment
    ADD CONSTRAINT project_apportionment_pkey PRIMARY KEY (project_id, level, bucket);
ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_code_key UNIQUE (code);
ALTER TABLE ONLY public.project_conformity
    ADD CONSTRAINT project_conformity_pkey PRIMARY KEY (project_id);
ALTER TABLE ONLY public.project_event
    ADD CONSTRAINT project_event_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.project_feature
    ADD CONSTRAINT project_feature_pkey PRIMARY KEY (project_id);
ALTER TABLE ONLY public.project_location
    ADD CONSTRAINT project_location_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.project_location
    ADD CONSTRAINT project_location_project_id_source_id_key UNIQUE (project_id, source_id);
ALTER TABLE ONLY public.project_monitor
    ADD CONSTRAINT project_monitor_pkey PRIMARY KEY (project_id);
ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.project_status
    ADD CONSTRAINT project_status_pkey PRIMARY KEY (status);
ALTER TABLE ONLY public.project_status_transition
    ADD CONSTRAINT project_status_transition_pkey PRIMARY KEY (from_status, to_status);
ALTER TABLE ONLY public.proposal_author
    ADD CONSTRAINT proposal_author_pkey PRIMARY KEY (proposal_id);
ALTER TABLE ONLY public.proposal_comment
    ADD CONSTRAINT proposal_comment_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.proposal_comment_report
    ADD CONSTRAINT proposal_comment_report_pkey PRIMARY KEY (comment_id, participant_sha256);
ALTER TABLE ONLY public.proposal
    ADD CONSTRAINT proposal_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.proposal_report
    ADD CONSTRAINT proposal_report_pkey PRIMARY KEY (proposal_id, participant_sha256);
ALTER TABLE ONLY public.proposal_state
    ADD CONSTRAINT proposal_state_pkey PRIMARY KEY (state);
ALTER TABLE ONLY public.proposal_support
    ADD CONSTRAINT proposal_support_pkey PRIMARY KEY (proposal_id, participant_sha256);
ALTER TABLE ONLY public.proposal_theme
    ADD CONSTRAINT proposal_theme_pkey PRIMARY KEY (theme);
ALTER TABLE ONLY public.proposal_transition
    ADD CONSTRAINT proposal_transition_pkey PRIMARY KEY (from_state, to_state, actor);
ALTER TABLE ONLY public.tile_admin_gen
    ADD CONSTRAINT tile_admin_gen_pkey PRIMARY KEY (unit_id, band);
ALTER TABLE ONLY public.tile_admin_label
    ADD CONSTRAINT tile_admin_label_pkey PRIMARY KEY (unit_id);
ALTER TABLE ONLY public.tile_admin_piece
    ADD CONSTRAINT tile_admin_piece_pkey PRIMARY KEY (z, x, y, level, unit_id);
ALTER TABLE ONLY public.tile_cell_dirty
    ADD CONSTRAINT tile_cell_dirty_pkey PRIMARY KEY (xact);
ALTER TABLE ONLY public.tile_cell_mark
    ADD CONSTRAINT tile_cell_mark_pkey PRIMARY KEY (xact, cx, cy);
ALTER TABLE ONLY public.tile_cell
    ADD CONSTRAINT tile_cell_pkey PRIMARY KEY (z, cx, cy);
ALTER TABLE ONLY public.tile_change
    ADD CONSTRAINT tile_change_pkey PRIMARY KEY (source, id);
ALTER TABLE ONLY public.tile_landuse_gen
    ADD CONSTRAINT tile_landuse_gen_pkey PRIMARY KEY (zone_id, band);
ALTER TABLE ONLY public.tile_landuse_piece
    ADD CONSTRAINT tile_landuse_piece_pkey PRIMARY KEY (z, x, y, zone_id);
ALTER TABLE ONLY public.unit_facility
    ADD CONSTRAINT unit_facility_pkey PRIMARY KEY (unit_id, kind);
ALTER TABLE ONLY public.unit_indicator
    ADD CONSTRAINT unit_indicator_pkey PRIMARY KEY (level, bucket);
ALTER TABLE ONLY public.unit_indicator_row
    ADD CONSTRAINT unit_indicator_row_pkey PRIMARY KEY (unit_id);
ALTER TABLE ONLY public.unit_indicator_stale
    ADD CONSTRAINT unit_indicator_stale_pkey PRIMARY KEY (xact);
ALTER TABLE ONLY public.unit_settlement
    ADD CONSTRAINT unit_settlement_pkey PRIMARY KEY (unit_id);
CREATE UNIQUE INDEX admin_unit_current_code ON public.admin_unit USING btree (level, code) WHERE (valid_to IS NULL);
CREATE INDEX admin_unit_geom ON public.admin_unit USING gist (geom);
CREATE INDEX admin_unit_geom_3857 ON public.admin_unit USING gist (geom_3857);
CREATE INDEX admin_unit_piece_geom ON public.admin_unit_piece USING gist (geom);
CREATE INDEX admin_unit_piece_unit ON public.admin_unit_piece USING btree (unit_id);
CREATE INDEX admin_unit_search ON public.admin_unit USING gin (search_key public.gin_trgm_ops);
CREATE INDEX facility_geom ON public.facility USING gist (geom);
CREATE INDEX facility_geom_3857 ON public.facility USING gist (geom_3857);
CREATE INDEX funding_apportionment_bucket ON public.funding_apportionment USING btree (level, bucket);
CREATE INDEX funding_apportionment_project ON public.funding_apportionment USING btree (project_id);
CREATE INDEX funding_line_project ON public.funding_line USING btree (project_id);
CREATE INDEX landuse_zone_geom ON public.landuse_zone USING gist (geom);
CREATE INDEX landuse_zone_geom_3857 ON public.landuse_zone USING gist (geom_3857);
CREATE INDEX landuse_zone_piece_geom ON public.landuse_zone_piece USING gist (geom);
CREATE INDEX landuse_zone_piece_layer ON public.landuse_zone_piece USING btree (layer_id);
CREATE INDEX landuse_zone_piece_zone ON public.landuse_zone_piece USING btree (zone_id);
CREATE INDEX location_assignment_current ON public.location_assignment USING btree (location_id, level) WHERE (valid_to IS NULL);
CREATE INDEX location_assignment_project ON public.location_assignment USING btree (project_id, valid_from);
CREATE INDEX location_assignment_project_municipality ON public.location_assignment USING btree (project_id, unit_code) WHERE ((valid_to IS NULL) AND (level = 'municipality'::text));
CREATE INDEX location_assignment_unit ON public.location_assignment USING btree (unit_id) WHERE (valid_to IS NULL);
CREATE INDEX location_conformity_project ON public.location_conformity USING btree (project_id);
CREATE INDEX location_zone_layer ON public.location_zone USING btree (layer_id);
CREATE INDEX location_zone_zone ON public.location_zone USING btree (zone_id);
CREATE INDEX meeting_municipality ON public.meeting USING btree (municipality_code, held_at);
CREATE INDEX moderation_log_municipality ON public.moderation_log USING btree (municipality_code, at);
CREATE INDEX overlay_edge_geom ON public.overlay_edge USING gist (geom);
CREATE INDEX overlay_edge_set ON public.overlay_edge USING btree (set_key);
CREATE INDEX overlay_mask_geom ON public.overlay_mask USING gist (geom);
CREATE INDEX overlay_mask_set ON public.overlay_mask USING btree (set_key);
CREATE INDEX participation_zone_geom ON public.participation_zone USING gist (geom);
CREATE INDEX plan_municipality ON public.plan USING btree (municipality_code);
CREATE INDEX project_apportionment_bucket ON public.project_apportionment USING btree (level, bucket);
CREATE INDEX project_event_latest_progress ON public.project_event USING btree (project_id, at DESC, id DESC) WHERE (physical_pct IS NOT NULL);
CREATE INDEX project_event_progress ON public.project_event USING btree (project_id, at) WHERE (kind = 'progress'::text);
CREATE INDEX project_event_project ON public.project_event USING btree (project_id, at);
CREATE INDEX project_location_geom ON public.project_location USING gist (geom);
CREATE INDEX project_location_geom_3857 ON public.project_location USING gist (geom_3857);
CREATE INDEX project_location_public_geom ON public.project_location USING gist (public_geom);
CREATE INDEX project_location_public_geom_3857 ON public.project_location USING gist (public_geom_3857);
CREATE INDEX proposal_comment_proposal ON public.proposal_comment USING btree (proposal_id, id);
CREATE INDEX proposal_comment_queue ON public.proposal_comment USING btree (proposal_id, id) WHERE (awaiting_moderation OR hidden);
CREATE INDEX proposal_comment_report_open ON public.proposal_comment_report USING btree (comment_id) WHERE (cleared_at IS NULL);
CREATE INDEX proposal_geom ON public.proposal USING gist (geom);
CREATE INDEX proposal_geom_3857 ON public.proposal USING gist (geom_3857);
CREATE INDEX proposal_moderation_queue ON public.proposal USING btree (municipality_code, id) WHERE (awaiting_moderation OR hidden);
CREATE INDEX proposal_municipality ON public.proposal USING btree (municipality_code, state);
CREATE INDEX proposal_project ON public.proposal USING btree (project_id) WHERE (project_id IS NOT NULL);
CREATE INDEX proposal_public_geography ON public.proposal USING gist (((geom)::public.geography)) WHERE ((NOT hidden) AND (NOT awaiting_moderation));
CREATE INDEX proposal_report_open ON public.proposal_report USING btree (proposal_id) WHERE (cleared_at IS NULL);
CREATE INDEX proposal_zone ON public.proposal USING btree (zone_id);
CREATE INDEX tile_admin_gen_10 ON public.tile_admin_gen USING gist (geom) WHERE (band = 10);
CREATE INDEX tile_admin_gen_11 ON public.tile_admin_gen USING gist (geom) WHERE (band = 11);
CREATE INDEX tile_admin_gen_5 ON public.tile_admin_gen USING gist (geom) WHERE (band = 5);
CREATE INDEX tile_admin_gen_6 ON public.tile_admin_gen USING gist (geom) WHERE (band = 6);
CREATE INDEX tile_admin_gen_7 ON public.tile_admin_gen USING gist (geom) WHERE (band = 7);
CREATE INDEX tile_admin_gen_8 ON public.tile_admin_gen USING gist (geom) WHERE (band = 8);
CREATE INDEX tile_admin_gen_9 ON public.tile_admin_gen USING gist (geom) WHERE (band = 9);
CREATE INDEX tile_admin_gen_delegation_10 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'delegation'::text) AND (band = 10));
CREATE INDEX tile_admin_gen_delegation_11 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'delegation'::text) AND (band = 11));
CREATE INDEX tile_admin_gen_delegation_5 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'delegation'::text) AND (band = 5));
CREATE INDEX tile_admin_gen_delegation_6 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'delegation'::text) AND (band = 6));
CREATE INDEX tile_admin_gen_delegation_7 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'delegation'::text) AND (band = 7));
CREATE INDEX tile_admin_gen_delegation_8 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'delegation'::text) AND (band = 8));
CREATE INDEX tile_admin_gen_delegation_9 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'delegation'::text) AND (band = 9));
CREATE INDEX tile_admin_gen_governorate_10 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'governorate'::text) AND (band = 10));
CREATE INDEX tile_admin_gen_governorate_11 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'governorate'::text) AND (band = 11));
CREATE INDEX tile_admin_gen_governorate_5 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'governorate'::text) AND (band = 5));
CREATE INDEX tile_admin_gen_governorate_6 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'governorate'::text) AND (band = 6));
CREATE INDEX tile_admin_gen_governorate_7 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'governorate'::text) AND (band = 7));
CREATE INDEX tile_admin_gen_governorate_8 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'governorate'::text) AND (band = 8));
CREATE INDEX tile_admin_gen_governorate_9 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'governorate'::text) AND (band = 9));
CREATE INDEX tile_admin_gen_municipality_10 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'municipality'::text) AND (band = 10));
CREATE INDEX tile_admin_gen_municipality_11 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'municipality'::text) AND (band = 11));
CREATE INDEX tile_admin_gen_municipality_5 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'municipality'::text) AND (band = 5));
CREATE INDEX tile_admin_gen_municipality_6 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'municipality'::text) AND (band = 6));
CREATE INDEX tile_admin_gen_municipality_7 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'municipality'::text) AND (band = 7));
CREATE INDEX tile_admin_gen_municipality_8 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'municipality'::text) AND (band = 8));
CREATE INDEX tile_admin_gen_municipality_9 ON public.tile_admin_gen USING gist (geom) WHERE ((level = 'municipality'::text) AND (band = 9));
CREATE INDEX tile_admin_label_geom ON public.tile_admin_label USING gist (geom);
CREATE INDEX tile_admin_piece_unit ON public.tile_admin_piece USING btree (unit_id, z);
CREATE INDEX tile_change_at ON public.tile_change USING btree (at);
CREATE INDEX tile_change_source_at ON public.tile_change USING btree (source, at);
CREATE INDEX tile_landuse_gen_10 ON public.tile_landuse_gen USING gist (geom) WHERE (band = 10);
CREATE INDEX tile_landuse_gen_11 ON public.tile_landuse_gen USING gist (geom) WHERE (band = 11);
CREATE INDEX tile_landuse_gen_5 ON public.tile_landuse_gen USING gist (geom) WHERE (band = 5);
CREATE INDEX tile_landuse_gen_6 ON public.tile_landuse_gen USING gist (geom) WHERE (band = 6);
CREATE INDEX tile_landuse_gen_7 ON public.tile_landuse_gen USING gist (geom) WHERE (band = 7);
CREATE INDEX tile_landuse_gen_8 ON public.tile_landuse_gen USING gist (geom) WHERE (band = 8);
CREATE INDEX tile_landuse_gen_9 ON public.tile_landuse_gen USING gist (geom) WHERE (band = 9);
CREATE INDEX tile_landuse_piece_zone ON public.tile_landuse_piece USING btree (zone_id, z);
CREATE INDEX tile_project_location_unit ON public.project_location USING btree ("precision", unit_code);
CREATE INDEX tile_project_location_unit_geom ON public.project_location USING gist (geom) WHERE ((unit_code IS NULL) AND ("precision" = ANY (ARRAY['municipality'::text, 'delegation'::text, 'governorate'::text])));
CREATE INDEX unit_indicator_row_level ON public.unit_indicator_row USING btree (level, code);
CREATE TRIGGER conformity_rule_check BEFORE INSERT OR UPDATE ON public.conformity_rule FOR EACH ROW EXECUTE FUNCTION public.mk_rule_check();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.admin_unit FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.facility FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.landuse_class FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.landuse_layer FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.landuse_zone FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.population FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.project FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.project_event FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.project_location FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE TRIGGER features_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.project_status FOR EACH STATEMENT EXECUTE FUNCTION public.mk_features_notify();
CREATE CONSTRAINT TRIGGER indicator_rows_flush AFTER INSERT ON public.unit_indicator_stale DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.mk_trg_indicator_rows_flush();
CREATE TRIGGER indicator_rows_stale AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.admin_unit FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_indicator_inputs();
CREATE TRIGGER indicator_rows_stale AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.population FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_indicator_inputs();
CREATE TRIGGER indicator_rows_stale AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.unit_facility FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_indicator_inputs();
CREATE TRIGGER indicator_rows_stale AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.unit_indicator FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_indicator_inputs();
CREATE TRIGGER indicator_rows_stale AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.unit_settlement FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_indicator_inputs();
CREATE TRIGGER location_disclose BEFORE INSERT OR UPDATE OF geom, disclosure, "precision", unit_code, public_geom ON public.project_location FOR EACH ROW EXECUTE FUNCTION public.mk_trg_location_disclose();
CREATE TRIGGER participation_zone_retag_del AFTER DELETE ON public.participation_zone REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_proposal_retag_zones();
CREATE TRIGGER participation_zone_retag_ins AFTER INSERT ON public.participation_zone REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_proposal_retag_zones();
CREATE TRIGGER participation_zone_retag_upd AFTER UPDATE ON public.participation_zone REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_proposal_retag_zones();
CREATE TRIGGER planning_event_insert AFTER INSERT ON public.project_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_event_insert();
CREATE TRIGGER planning_facility_delete AFTER DELETE ON public.facility REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_facility_changed();
CREATE TRIGGER planning_facility_insert AFTER INSERT ON public.facility REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_facility_changed();
CREATE TRIGGER planning_facility_update AFTER UPDATE ON public.facility REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_facility_changed();
CREATE TRIGGER planning_funding_delete AFTER DELETE ON public.funding_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_funding_changed();
CREATE TRIGGER planning_funding_insert AFTER INSERT ON public.funding_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_funding_changed();
CREATE TRIGGER planning_funding_update AFTER UPDATE ON public.funding_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_funding_changed();
CREATE TRIGGER planning_layer_delete AFTER DELETE ON public.landuse_layer REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_layer_changed();
CREATE TRIGGER planning_layer_insert AFTER INSERT ON public.landuse_layer REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_layer_changed();
CREATE TRIGGER planning_location_delete AFTER DELETE ON public.project_location REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_location_delete();
CREATE TRIGGER planning_location_insert AFTER INSERT ON public.project_location REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_location_insert();
CREATE TRIGGER planning_location_update AFTER UPDATE ON public.project_location REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_location_update();
CREATE TRIGGER planning_project_delete AFTER DELETE ON public.project REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_delete();
CREATE TRIGGER planning_project_insert AFTER INSERT ON public.project REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_insert();
CREATE TRIGGER planning_project_update AFTER UPDATE ON public.project REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_update();
CREATE TRIGGER planning_rule_delete AFTER DELETE ON public.conformity_rule REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_rule_changed();
CREATE TRIGGER planning_rule_insert AFTER INSERT ON public.conformity_rule REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_rule_changed();
CREATE TRIGGER planning_rule_update AFTER UPDATE ON public.conformity_rule REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_rule_changed();
CREATE TRIGGER planning_unit_delete AFTER DELETE ON public.admin_unit REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_unit_changed();
CREATE TRIGGER planning_unit_insert AFTER INSERT ON public.admin_unit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_unit_changed();
CREATE CONSTRAINT TRIGGER planning_unit_reassign AFTER INSERT OR DELETE OR UPDATE ON public.admin_unit DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.mk_assignment_drain();
CREATE TRIGGER planning_unit_update AFTER UPDATE ON public.admin_unit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_unit_changed();
CREATE TRIGGER planning_zone_delete AFTER DELETE ON public.landuse_zone REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_zone_changed();
CREATE TRIGGER planning_zone_insert AFTER INSERT ON public.landuse_zone REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_zone_changed();
CREATE TRIGGER planning_zone_update AFTER UPDATE ON public.landuse_zone REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_zone_changed();
CREATE TRIGGER project_event_append_only BEFORE DELETE OR UPDATE ON public.project_event FOR EACH ROW EXECUTE FUNCTION public.mk_append_only();
CREATE TRIGGER project_feature_del AFTER DELETE ON public.project_location REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_feature();
CREATE TRIGGER project_feature_event AFTER INSERT ON public.project_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_feature();
CREATE TRIGGER project_feature_event_truncate AFTER TRUNCATE ON public.project_event FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_feature();
CREATE TRIGGER project_feature_ins AFTER INSERT ON public.project_location REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_feature();
CREATE TRIGGER project_feature_truncate AFTER TRUNCATE ON public.project_location FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_feature();
CREATE TRIGGER project_feature_upd AFTER UPDATE ON public.project_location REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_project_feature();
CREATE TRIGGER proposal_comment_hold BEFORE INSERT ON public.proposal_comment FOR EACH ROW EXECUTE FUNCTION public.mk_comment_hold();
CREATE TRIGGER proposal_comment_report_hide AFTER INSERT ON public.proposal_comment_report FOR EACH ROW EXECUTE FUNCTION public.mk_report_hide();
CREATE TRIGGER proposal_report_hide AFTER INSERT ON public.proposal_report FOR EACH ROW EXECUTE FUNCTION public.mk_report_hide();
CREATE TRIGGER proposal_tag BEFORE INSERT OR UPDATE ON public.proposal FOR EACH ROW EXECUTE FUNCTION public.mk_proposal_tag();
CREATE TRIGGER tile_admin_gen_insert AFTER INSERT ON public.admin_unit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_admin_gen_insert();
CREATE TRIGGER tile_admin_gen_update AFTER UPDATE ON public.admin_unit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_admin_gen_update();
CREATE TRIGGER tile_admin_piece_insert AFTER INSERT ON public.tile_admin_gen REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_admin_piece_insert();
CREATE TRIGGER tile_cells_del AFTER DELETE ON public.admin_unit REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_tile_cells();
CREATE TRIGGER tile_cells_del AFTER DELETE ON public.project_location REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_tile_cells();
CREATE CONSTRAINT TRIGGER tile_cells_flush AFTER INSERT ON public.tile_cell_dirty DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.mk_trg_tile_cells_flush();
CREATE TRIGGER tile_cells_ins AFTER INSERT ON public.admin_unit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_tile_cells();
CREATE TRIGGER tile_cells_ins AFTER INSERT ON public.project_location REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_tile_cells();
CREATE TRIGGER tile_cells_truncate AFTER TRUNCATE ON public.project_location FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_tile_cells();
CREATE TRIGGER tile_cells_upd AFTER UPDATE ON public.admin_unit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_tile_cells();
CREATE TRIGGER tile_cells_upd AFTER UPDATE ON public.project REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_tile_cells_project();
CREATE TRIGGER tile_cells_upd AFTER UPDATE ON public.project_location REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_trg_tile_cells();
CREATE CONSTRAINT TRIGGER tile_change_commit AFTER INSERT ON public.tile_change DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.mk_tile_change_commit();
CREATE TRIGGER tile_landuse_gen_insert AFTER INSERT ON public.landuse_zone REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_landuse_gen_insert();
CREATE TRIGGER tile_landuse_gen_update AFTER UPDATE ON public.landuse_zone REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_landuse_gen_update();
CREATE TRIGGER tile_landuse_piece_insert AFTER INSERT ON public.tile_landuse_gen REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_landuse_piece_insert();
CREATE TRIGGER tile_notify_classes AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.landuse_class FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('landuse');
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.admin_unit REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_admin();
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.facility REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('facilities');
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.funding_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('project_id');
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.landuse_zone REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('landuse');
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.participation_zone REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('proposals');
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.project REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('id');
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.project_event REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('project_id');
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.project_location REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_location();
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.proposal REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('proposals');
CREATE TRIGGER tile_notify_del AFTER DELETE ON public.proposal_support REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_proposal();
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.admin_unit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_admin();
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.facility REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('facilities');
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.funding_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('project_id');
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.landuse_zone REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('landuse');
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.participation_zone REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('proposals');
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.project REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('id');
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.project_event REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('project_id');
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.project_location REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_location();
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.proposal REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('proposals');
CREATE TRIGGER tile_notify_ins AFTER INSERT ON public.proposal_support REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_proposal();
CREATE TRIGGER tile_notify_layers AFTER DELETE OR UPDATE OR TRUNCATE ON public.landuse_layer FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('landuse');
CREATE TRIGGER tile_notify_statuses AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.project_status FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('projects');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.admin_unit FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('municipalities', 'delegations', 'governorates', 'projects', 'facilities');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.facility FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('facilities');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.funding_line FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('projects');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.landuse_zone FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('landuse');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.participation_zone FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('proposals');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.project FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('projects');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.project_event FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('projects');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.project_location FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('projects');
CREATE TRIGGER tile_notify_truncate AFTER TRUNCATE ON public.proposal FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_all('proposals');
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.admin_unit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_admin();
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.facility REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('facilities');
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.funding_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('project_id');
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.landuse_zone REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('landuse');
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.participation_zone REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('proposals');
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.project REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('id');
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.project_event REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_project('project_id');
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.project_location REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_location();
CREATE TRIGGER tile_notify_upd AFTER UPDATE ON public.proposal REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_rows('proposals');
CREATE TRIGGER tile_population_delete AFTER DELETE ON public.population REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_unit_figures('code');
CREATE TRIGGER tile_population_insert AFTER INSERT ON public.population REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_unit_figures('code');
CREATE TRIGGER tile_population_update AFTER UPDATE ON public.population REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_unit_figures('code');
CREATE TRIGGER tile_unit_indicator_delete AFTER DELETE ON public.unit_indicator REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_unit_figures('bucket');
CREATE TRIGGER tile_unit_indicator_insert AFTER INSERT ON public.unit_indicator REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_unit_figures('bucket');
CREATE TRIGGER tile_unit_indicator_update AFTER UPDATE ON public.unit_indicator REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.mk_tile_notify_unit_figures('bucket');
CREATE TRIGGER units_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.admin_level FOR EACH STATEMENT EXECUTE FUNCTION public.mk_units_notify();
CREATE TRIGGER units_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.admin_unit FOR EACH STATEMENT EXECUTE FUNCTION public.mk_units_notify();
CREATE TRIGGER units_notify AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.admin_unit_piece FOR EACH STATEMENT EXECUTE FUNCTION public.mk_units_notify();
ALTER TABLE ONLY public.admin_unit
    ADD CONSTRAINT admin_unit_level_fkey FOREIGN KEY (level) REFERENCES public.admin_level(level);
ALTER TABLE ONLY public.funding_line
    ADD CONSTRAINT funding_line_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.iati_activity
    ADD CONSTRAINT iati_activity_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.iati_admin_level
    ADD CONSTRAINT iati_admin_level_level_fkey FOREIGN KEY (level) REFERENCES public.admin_level(level);
ALTER TABLE ONLY public.landuse_zone
    ADD CONSTRAINT landuse_zone_class_fkey FOREIGN KEY (class) REFERENCES public.landuse_class(class);
ALTER TABLE ONLY public.landuse_zone
    ADD CONSTRAINT landuse_zone_layer_id_fkey FOREIGN KEY (layer_id) REFERENCES public.landuse_layer(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.meeting_attendance
    ADD CONSTRAINT meeting_attendance_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meeting(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.meeting_code
    ADD CONSTRAINT meeting_code_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meeting(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.meeting_delegate
    ADD CONSTRAINT meeting_delegate_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meeting(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.meeting_priority
    ADD CONSTRAINT meeting_priority_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meeting(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.meeting_priority
    ADD CONSTRAINT meeting_priority_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES public.proposal(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_zone_id_fkey FOREIGN KEY (zone_id) REFERENCES public.participation_zone(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.plan_line
    ADD CONSTRAINT plan_line_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES public.plan(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.plan_line
    ADD CONSTRAINT plan_line_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.plan_line
    ADD CONSTRAINT plan_line_zone_id_fkey FOREIGN KEY (zone_id) REFERENCES public.participation_zone(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.plan
    ADD CONSTRAINT plan_previous_id_fkey FOREIGN KEY (previous_id) REFERENCES public.plan(id);
ALTER TABLE ONLY public.plan_stage
    ADD CONSTRAINT plan_stage_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES public.plan(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.population
    ADD CONSTRAINT population_level_fkey FOREIGN KEY (level) REFERENCES public.admin_level(level);
ALTER TABLE ONLY public.project_feature
    ADD CONSTRAINT project_feature_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.project_location
    ADD CONSTRAINT project_location_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.project
    ADD CONSTRAINT project_status_fkey FOREIGN KEY (status) REFERENCES public.project_status(status);
ALTER TABLE ONLY public.project_status_transition
    ADD CONSTRAINT project_status_transition_from_status_fkey FOREIGN KEY (from_status) REFERENCES public.project_status(status);
ALTER TABLE ONLY public.project_status_transition
    ADD CONSTRAINT project_status_transition_to_status_fkey FOREIGN KEY (to_status) REFERENCES public.project_status(status);
ALTER TABLE ONLY public.proposal_author
    ADD CONSTRAINT proposal_author_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES public.proposal(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.proposal_comment
    ADD CONSTRAINT proposal_comment_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.proposal_comment(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.proposal_comment
    ADD CONSTRAINT proposal_comment_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES public.proposal(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.proposal_comment_report
    ADD CONSTRAINT proposal_comment_report_comment_id_fkey FOREIGN KEY (comment_id) REFERENCES public.proposal_comment(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.proposal
    ADD CONSTRAINT proposal_draft_state_fkey FOREIGN KEY (draft_state) REFERENCES public.proposal_state(state);
ALTER TABLE ONLY public.proposal
    ADD CONSTRAINT proposal_merged_into_fkey FOREIGN KEY (merged_into) REFERENCES public.proposal(id);
ALTER TABLE ONLY public.proposal
    ADD CONSTRAINT proposal_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.project(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.proposal_report
    ADD CONSTRAINT proposal_report_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES public.proposal(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.proposal
    ADD CONSTRAINT proposal_state_fkey FOREIGN KEY (state) REFERENCES public.proposal_state(state);
ALTER TABLE ONLY public.proposal_support
    ADD CONSTRAINT proposal_support_meeting_id_fkey FOREIGN KEY (meeting_id) REFERENCES public.meeting(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.proposal_support
    ADD CONSTRAINT proposal_support_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES public.proposal(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.proposal
    ADD CONSTRAINT proposal_theme_fkey FOREIGN KEY (theme) REFERENCES public.proposal_theme(theme);
ALTER TABLE ONLY public.proposal_transition
    ADD CONSTRAINT proposal_transition_from_state_fkey FOREIGN KEY (from_state) REFERENCES public.proposal_state(state);
ALTER TABLE ONLY public.proposal_transition
    ADD CONSTRAINT proposal_transition_to_state_fkey FOREIGN KEY (to_state) REFERENCES public.proposal_state(state);
ALTER TABLE ONLY public.proposal
    ADD CONSTRAINT proposal_zone_id_fkey FOREIGN KEY (zone_id) REFERENCES public.participation_zone(id) ON DELETE SET NULL;
ALTER TABLE ONLY public.tile_admin_gen
    ADD CONSTRAINT tile_admin_gen_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.admin_unit(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.tile_admin_label
    ADD CONSTRAINT tile_admin_label_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.admin_unit(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.tile_admin_piece
    ADD CONSTRAINT tile_admin_piece_unit_id_z_fkey FOREIGN KEY (unit_id, z) REFERENCES public.tile_admin_gen(unit_id, band) ON DELETE CASCADE;
ALTER TABLE ONLY public.tile_landuse_gen
    ADD CONSTRAINT tile_landuse_gen_zone_id_fkey FOREIGN KEY (zone_id) REFERENCES public.landuse_zone(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.tile_landuse_piece
    ADD CONSTRAINT tile_landuse_piece_zone_id_z_fkey FOREIGN KEY (zone_id, z) REFERENCES public.tile_landuse_gen(zone_id, band) ON DELETE CASCADE;
