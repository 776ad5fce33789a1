package dev.keel.tenancy;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Asks PostgreSQL's catalog, as the application role, whether anything lets that role around
 * row-level security: tenant tables (a {@code tenant_id} column) without ENABLE + FORCE RLS, without
 * a policy, or with a policy lacking {@code WITH CHECK}, indexes not led by {@code tenant_id}; the role being a superuser, able to bypass
 * RLS (itself or through a granted role) or owning tables; views without {@code security_invoker};
 * {@code SECURITY DEFINER} functions it may execute that are not pinned ({@code search_path=''})
 * and marked audited. Tables whose comment starts with {@value #PLATFORM_LEVEL} are platform data.
 */
@Component
public class IsolationCheck {

	static final String PLATFORM_LEVEL = "keel:platform-level";

	private final JdbcClient jdbc;

	public IsolationCheck(DataSource dataSource) {
		this.jdbc = JdbcClient.create(dataSource);
	}

	public List<Finding> run() {
		List<Finding> findings = new ArrayList<>();
		this.jdbc.sql("""
				select n.nspname as schema, c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
				       (select count(*) from pg_policy p where p.polrelid = c.oid) as policies,
				       (select count(*) from pg_policy p where p.polrelid = c.oid and p.polcmd in ('*', 'a', 'w')
				          and p.polwithcheck is null and p.polcmd <> '*') as missing_check,
				       (select count(*) from pg_policy p where p.polrelid = c.oid and p.polpermissive
				          and (p.polqual is null or pg_get_expr(p.polqual, p.polrelid) not like '%app.tenant_id%')) as loose
				from pg_class c
				join pg_namespace n on n.oid = c.relnamespace
				join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
				where c.relkind in ('r', 'p') and n.nspname = any (current_schemas(false))
				  and coalesce(obj_description(c.oid, 'pg_class'), '') not like 'keel:platform-level%'
				order by 1, 2""").query((rs, i) -> {
			String table = rs.getString("schema") + "." + rs.getString("name");
			if (!rs.getBoolean("enabled")) {
				findings.add(new Finding("table-without-rls", table, "tenant table does not ENABLE ROW LEVEL SECURITY"));
			}
			if (!rs.getBoolean("forced")) {
				findings.add(new Finding("table-without-forced-rls", table, "tenant table does not FORCE ROW LEVEL SECURITY"));
			}
			if (rs.getLong("policies") == 0) {
				findings.add(new Finding("table-without-policy", table, "tenant table has no row-level security policy"));
			}
			if (rs.getLong("missing_check") > 0) {
				findings.add(new Finding("policy-without-check", table, "a policy for INSERT/UPDATE has no WITH CHECK"));
			}
			if (rs.getLong("loose") > 0) {
				findings.add(new Finding("policy-not-tenant-bound", table, "a permissive policy does not compare with app.tenant_id"));
			}
			return table;
		}).list();
		this.jdbc.sql("""
				select n.nspname || '.' || i.relname as name from pg_index x
				join pg_class i on i.oid = x.indexrelid
				join pg_class t on t.oid = x.indrelid
				join pg_namespace n on n.oid = t.relnamespace
				join pg_attribute a on a.attrelid = t.oid and a.attname = 'tenant_id' and not a.attisdropped
				where t.relkind in ('r', 'p') and n.nspname = any (current_schemas(false)) and x.indkey[0] <> a.attnum
				  and coalesce(obj_description(t.oid, 'pg_class'), '') not like 'keel:platform-level%'
				order by 1""").query(String.class).list()
			.forEach((index) -> findings.add(new Finding("index-not-tenant-leading", index,
					"index of a tenant table does not start with tenant_id")));
		this.jdbc.sql("""
				select r.rolname, r.rolsuper, r.rolbypassrls from pg_roles r
				where (r.rolsuper or r.rolbypassrls) and pg_has_role(current_user, r.oid, 'USAGE')""").query((rs, i) -> {
			findings.add(new Finding("role-can-bypass-rls", rs.getString("rolname"),
					"the application role " + (rs.getBoolean("rolsuper") ? "is or inherits a superuser" : "can bypass row-level security")));
			return null;
		}).list();
		this.jdbc.sql("""
				select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
				where c.relkind in ('r', 'p', 'v', 'm') and n.nspname = any (current_schemas(false))
				  and pg_has_role(current_user, c.relowner, 'USAGE') order by 1""").query(String.class).list()
			.forEach((t) -> findings.add(new Finding("app-role-owns-table", t,
					"the application role owns (or inherits ownership of) this relation, so it could disable RLS; run migrations as a separate owner role")));
		this.jdbc.sql("""
				select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
				where c.relkind = 'v' and n.nspname = any (current_schemas(false))
				  and not coalesce(c.reloptions && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1'], false)
				order by 1""").query(String.class).list()
			.forEach((v) -> findings.add(new Finding("view-without-security-invoker", v,
					"view runs with its owner's rights; create it WITH (security_invoker = true)")));
		this.jdbc.sql("""
				select p.oid::regprocedure::text as name, coalesce(p.proconfig, '{}') @> array['search_path=""'] as pinned,
				       coalesce(obj_description(p.oid, 'pg_proc'), '') like 'keel:audited%' as audited
				from pg_proc p join pg_namespace n on n.oid = p.pronamespace
				where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
				  and has_function_privilege(current_user, p.oid, 'EXECUTE') order by 1""").query((rs, i) -> {
			if (!(rs.getBoolean("pinned") && rs.getBoolean("audited"))) {
				findings.add(new Finding("security-definer-callable", rs.getString("name"),
						"SECURITY DEFINER function executable by the application role is not pinned (search_path='') and audited"));
			}
			return null;
		}).list();
		return findings;
	}

	/** One way around row-level security. */
	public record Finding(String kind, String object, String detail) {
	}

}
