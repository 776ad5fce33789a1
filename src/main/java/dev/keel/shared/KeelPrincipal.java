package dev.keel.shared;

import java.util.UUID;

/** What every authenticated principal in Keel exposes, whatever the mechanism (Basic, JWT, API key). */
public interface KeelPrincipal {

	UUID userId();

	UUID tenantId();

}
