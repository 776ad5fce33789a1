package dev.keel.jobs;

import dev.keel.KeelApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;

/** A Keel instance with the test job types, started as a child JVM by {@link JobsChaosTests} and killed with -9. */
public final class ChaosWorker {

	private ChaosWorker() {
	}

	public static void main(String[] args) {
		new SpringApplicationBuilder(KeelApplication.class, TestJobTypes.class).run(args);
	}

}
