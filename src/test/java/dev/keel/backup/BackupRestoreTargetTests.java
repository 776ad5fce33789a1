package dev.keel.backup;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestAdmin;
import dev.keel.database.DatabaseEndpoints;

import static org.assertj.core.api.Assertions.assertThat;

/** targetUrl of a full restore: no live credentials elsewhere, no overrides, the live database found by the server. */
@KeelTest
@TestPropertySource(properties = "keel.storage.path=target/backup-test-storage")
class BackupRestoreTargetTests {

	@LocalServerPort
	int port;

	@Autowired
	BackupManagement backups;

	@Autowired
	DatabaseEndpoints endpoints;

	Backup full;

	int dbPort;

	String liveDb;

	@BeforeEach
	void backup() {
		this.full = this.backups.createNow(BackupType.FULL, null, "test");
		URI live = URI.create(this.endpoints.owner().jdbcUrl().substring("jdbc:".length()));
		this.dbPort = live.getPort();
		this.liveDb = live.getPath().substring(1);
	}

	Http.Response restore(String targetUrl) {
		return new Http(this.port).as(TestAdmin.bearerToken(this.port)).post("/admin/backups/" + this.full.id() + "/restore",
				Map.of("confirm", this.full.id().toString(), "targetUrl", targetUrl));
	}

	static String rule(Http.Response r) {
		return r.json().get("errors").get(0).get("rule").asString();
	}

	@Test
	void anotherServerWithoutCredentialsIsRefusedBeforeAnyConnection() {
		long t0 = System.nanoTime();
		Http.Response r = restore("postgres://10.255.255.1:5432/newdb");
		assertThat(r.status()).as(r.body()).isEqualTo(400);
		assertThat(rule(r)).isEqualTo("credentials");
		assertThat((System.nanoTime() - t0) / 1_000_000).as("no connection was attempted").isLessThan(5000);
		if (this.endpoints.owner().password() != null) {
			assertThat(r.body()).doesNotContain(this.endpoints.owner().password());
		}
	}

	@Test
	void connectionOverridesAndUnknownParametersAreRefused() {
		for (String query : new String[] { "?PGHOST=localhost&PGDBNAME=" + "keel", "?PGDBNAME=keel", "?socketFactory=x",
				"?options=-csearch_path%3Dx" }) {
			Http.Response r = restore("postgres://u:p@localhost:" + this.dbPort + "/newdb" + query);
			assertThat(r.status()).as(query + " " + r.body()).isEqualTo(400);
			assertThat(rule(r)).isEqualTo("parameter");
		}
		Http.Response weak = restore("postgres://localhost:" + this.dbPort + "/newdb?sslmode=disable");
		assertThat(weak.status()).as(weak.body()).isEqualTo(400);
		assertThat(rule(weak)).isEqualTo("sslmode");
	}

	@Test
	void theLiveDatabaseIsRecognisedByTheServerWhateverTheHostAlias() {
		for (String host : new String[] { "127.0.0.1", "localhost.", "[::1]" }) {
			Http.Response r = restore("postgres://" + host + ":" + this.dbPort + "/" + this.liveDb + "?ApplicationName=restore");
			if (!host.equals("127.0.0.1") && r.status() == 409 && rule(r).equals("reachable")) {
				continue; // this alias does not reach the server on this machine (no IPv6 loopback, no trailing-dot lookup)
			}
			assertThat(r.status()).as(host + " " + r.body()).isEqualTo(409);
			assertThat(rule(r)).as(host).isEqualTo("live-database");
		}
	}

	@Test
	void connectionErrorsAndPasswordsNeverReachTheClient() {
		Http.Response encoded = restore("postgres://h/new?password=p%25ss%20w");
		assertThat(encoded.status()).as(encoded.body()).isEqualTo(400);
		assertThat(encoded.body()).doesNotContain("p%ss").doesNotContain("p%25ss").doesNotContain("ss w").doesNotContain("ss%20w");

		Http.Response unreachable = restore("postgres://someone:s3cret-pw@127.0.0.1:1/newdb");
		assertThat(unreachable.status()).as(unreachable.body()).isEqualTo(409);
		assertThat(rule(unreachable)).isEqualTo("reachable");
		assertThat(unreachable.json().get("detail").asString()).isEqualTo("cannot connect to the target database 127.0.0.1:1/newdb");
		assertThat(unreachable.body()).doesNotContain("s3cret-pw");
	}

	@Test
	void pgRestoreConnectionValuesAreQuotedSoNoneCanAddAKeyword() {
		String conninfo = PgDumpTool.conninfo(new dev.keel.database.ConnectionSettings(
				"jdbc:postgresql://db.example:5433/new%20db?sslmode=require", "u' dbname=keel", null));
		assertThat(conninfo).isEqualTo("host='db.example' port=5433 dbname='new db' sslmode='require' user='u\\' dbname=keel'");
	}

}
