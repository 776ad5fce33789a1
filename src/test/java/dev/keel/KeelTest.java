package dev.keel;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * A full Keel on a random port against real PostgreSQL: the JVM's one embedded server (under
 * {@code target/test-postgres}, wiped at the first start of each test JVM), or the server named by
 * {@code DATABASE_URL} when the environment sets it. The platform admin is {@link TestAdmin}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(classes = KeelApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "keel.database.embedded-dir=target/test-postgres", "keel.database.embedded-clean=true",
				"BOOTSTRAP_ADMIN_EMAIL=" + TestAdmin.EMAIL, "BOOTSTRAP_ADMIN_PASSWORD=" + TestAdmin.PASSWORD,
				"PASSWORD_HASH_COST=4", "METRICS_TOKEN=" + TestAdmin.METRICS_TOKEN, "BOOTSTRAP_DEMO_TENANT=false",
				// Every test logs in from 127.0.0.1: the edge limits get their own tests (RateLimitTests).
				"AUTH_RATE_LIMIT_MAX=100000", "RATE_LIMIT_MAX_REQUESTS=10000000", "TENANT_RATE_LIMIT_MAX=10000000" })
public @interface KeelTest {

}
