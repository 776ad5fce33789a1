package dev.keel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keel.KeelTest;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.runtime.CliCommand;
import dev.keel.runtime.CliInvocation;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

@KeelTest
class IsolationCheckTests {

	@Autowired
	IsolationCheck check;

	@Autowired
	DatabaseEndpoints endpoints;

	@Autowired
	ApplicationContext context;

	private Connection owner() throws Exception {
		return DriverManager.getConnection(this.endpoints.owner().jdbcUrl(), this.endpoints.owner().user(), this.endpoints.owner().password());
	}

	@Test
	void findsNothingInKeelsOwnSchema() {
		assertThat(this.check.run()).isEmpty();
	}

	@Test
	void reportsATenantTableAddedWithoutRowLevelSecurityAndTheCommandFails() throws Exception {
		String table = "scratch_no_rls_" + System.nanoTime();
		String view = "scratch_view_" + System.nanoTime();
		try (Connection c = owner(); Statement s = c.createStatement()) {
			s.execute("create table " + table + " (tenant_id uuid not null, note text)");
			s.execute("create view " + view + " as select * from users");
		}
		try {
			List<IsolationCheck.Finding> findings = this.check.run();
			assertThat(findings).extracting(IsolationCheck.Finding::kind, IsolationCheck.Finding::object)
				.contains(org.assertj.core.groups.Tuple.tuple("table-without-rls", "public." + table),
						org.assertj.core.groups.Tuple.tuple("table-without-forced-rls", "public." + table),
						org.assertj.core.groups.Tuple.tuple("table-without-policy", "public." + table),
						org.assertj.core.groups.Tuple.tuple("view-without-security-invoker", "public." + view));
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			int exit = new TenancyCheckCommand().run(new CliInvocation(List.of("--json"), true,
					new PrintStream(out, true, StandardCharsets.UTF_8), System.err, null, this.context));
			assertThat(exit).isEqualTo(CliCommand.FAILED);
			assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"isolated\":false").contains(table);
		}
		finally {
			try (Connection c = owner(); Statement s = c.createStatement()) {
				s.execute("drop view if exists " + view);
				s.execute("drop table if exists " + table);
			}
		}
		assertThat(this.check.run()).isEmpty();
	}

	@Test
	void reportsAPolicyThatFailsOpenOrLacksWithCheck() throws Exception {
		String table = "scratch_loose_" + System.nanoTime();
		try (Connection c = owner(); Statement s = c.createStatement()) {
			s.execute("create table " + table + " (tenant_id uuid not null)");
			s.execute("alter table " + table + " enable row level security");
			s.execute("alter table " + table + " force row level security");
			s.execute("create policy p on " + table + " using (true)");
		}
		try {
			assertThat(this.check.run()).extracting(IsolationCheck.Finding::kind).contains("policy-not-tenant-bound");
		}
		finally {
			try (Connection c = owner(); Statement s = c.createStatement()) {
				s.execute("drop table if exists " + table);
			}
		}
	}

	@Test
	void reportsAnIndexOfATenantTableNotLedByTenantId() throws Exception {
		String table = "scratch_index_" + System.nanoTime();
		try (Connection c = owner(); Statement s = c.createStatement()) {
			s.execute("create table " + table + " (tenant_id uuid not null, note text)");
			s.execute("alter table " + table + " enable row level security");
			s.execute("alter table " + table + " force row level security");
			s.execute("create policy p on " + table + " using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))"
					+ " with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))");
			s.execute("create index " + table + "_ok on " + table + " (tenant_id, note)");
			s.execute("create index " + table + "_note on " + table + " (note)");
		}
		try {
			assertThat(this.check.run()).extracting(IsolationCheck.Finding::kind, IsolationCheck.Finding::object)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("index-not-tenant-leading", "public." + table + "_note"));
		}
		finally {
			try (Connection c = owner(); Statement s = c.createStatement()) {
				s.execute("drop table if exists " + table);
			}
		}
	}

	@Test
	void reportsACallableSecurityDefinerFunction() throws Exception {
		String fn = "scratch_definer_" + System.nanoTime();
		try (Connection c = owner(); Statement s = c.createStatement()) {
			s.execute("create function " + fn + "() returns bigint language sql security definer as 'select count(*) from users'");
			s.execute("grant execute on function " + fn + "() to " + this.endpoints.app().user());
		}
		try {
			assertThat(this.check.run()).extracting(IsolationCheck.Finding::kind).contains("security-definer-callable");
		}
		finally {
			try (Connection c = owner(); Statement s = c.createStatement()) {
				s.execute("drop function if exists " + fn + "()");
			}
		}
	}

}
