package dev.keel;

import dev.keel.runtime.KeelCli;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Keel: one deployable service, one top-level package per capability (see docs/architecture.md).
 * The entry point is the CLI: {@code serve} (the default) runs the HTTP service, every other
 * command runs against a minimal context and exits with its own code.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class KeelApplication {

	public static void main(String[] args) {
		int exit = KeelCli.run(KeelApplication.class, args);
		if (exit != KeelCli.KEEP_RUNNING) {
			System.exit(exit);
		}
	}

}
