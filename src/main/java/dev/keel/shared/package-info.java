/**
 * Small vocabulary every module may use: problem types for RFC 9457 errors, the injected clock.
 * Depends on nothing else in Keel.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.keel.shared;
