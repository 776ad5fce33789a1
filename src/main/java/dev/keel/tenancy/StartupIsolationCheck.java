package dev.keel.tenancy;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Runs the isolation check once the schema is migrated: in prod any finding stops start-up, elsewhere
 * each finding is logged as a warning so developers see it on their first run.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class StartupIsolationCheck implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(StartupIsolationCheck.class);

	private final IsolationCheck check;

	private final boolean prod;

	StartupIsolationCheck(IsolationCheck check, @Value("${keel.env:dev}") String env) {
		this.check = check;
		this.prod = "prod".equals(env);
	}

	@Override
	public void run(ApplicationArguments args) {
		List<IsolationCheck.Finding> findings = this.check.run();
		if (findings.isEmpty()) {
			log.info("Tenant isolation check: no findings");
			return;
		}
		findings.forEach((f) -> log.warn("Tenant isolation check: {} {} - {}", f.kind(), f.object(), f.detail()));
		if (this.prod) {
			throw new IllegalStateException("Tenant isolation check found " + findings.size()
					+ " problem(s); refusing to start in prod (run 'keel tenancy check' for the list)");
		}
	}

}
