package dev.keel.runtime;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/** Logs phase 4 once every subsystem's beans exist, before any lifecycle (workers, web server) starts. */
@Component
class SubsystemsPhase implements SmartInitializingSingleton {

	private final ApplicationContext context;

	SubsystemsPhase(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!this.context.getEnvironment().getProperty("keel.cli", Boolean.class, false)) {
			BootstrapPhases.log(4, "subsystems", this.context.getBeanDefinitionCount() + " beans ready");
		}
	}

}
