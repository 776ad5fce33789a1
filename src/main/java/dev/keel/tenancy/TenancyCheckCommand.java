package dev.keel.tenancy;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.keel.database.DatabaseConfiguration;
import dev.keel.runtime.CliCommand;
import dev.keel.runtime.CliInvocation;

/** {@code keel tenancy check}: runs the isolation check against the configured database and exits. */
class TenancyCheckCommand implements CliCommand {

	@Override
	public List<String> name() {
		return List.of("tenancy", "check");
	}

	@Override
	public String summary() {
		return "check that PostgreSQL enforces tenant isolation (RLS, roles, views, functions)";
	}

	@Override
	public String help() {
		return """
				[--json]
				  Connects as the application role (DATABASE_URL, else the embedded database) and lists every
				  tenant table without ENABLE + FORCE ROW LEVEL SECURITY and a tenant-bound policy, roles that
				  let the application bypass RLS, tables it owns, views without security_invoker and callable
				  SECURITY DEFINER functions.
				  Exit codes: 0 no findings, 1 findings (or the check failed), 3 invalid configuration.""";
	}

	@Override
	public List<Class<?>> configurations() {
		return List.of(DatabaseConfiguration.class, IsolationCheck.class);
	}

	@Override
	public int run(CliInvocation invocation) {
		List<IsolationCheck.Finding> findings = invocation.bean(IsolationCheck.class).run();
		if (invocation.json()) {
			invocation.out().println(JsonMapper.builder().build()
				.writeValueAsString(Map.of("isolated", findings.isEmpty(), "findings", findings)));
		}
		else if (findings.isEmpty()) {
			invocation.out().println("Tenant isolation: OK (no findings).");
		}
		else {
			invocation.out().println("Tenant isolation: " + findings.size() + " finding(s)");
			findings.forEach((f) -> invocation.out().println("  " + f.kind() + "  " + f.object() + "  - " + f.detail()));
		}
		return findings.isEmpty() ? OK : FAILED;
	}

}
