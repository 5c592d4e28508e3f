package dev.awal.contacts.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready from the moment shutdown is requested, so balancers stop sending traffic while it drains. */
@Readiness
@ApplicationScoped
public class ShutdownReadiness implements HealthCheck {

    private final ShutdownGate gate;

    ShutdownReadiness(ShutdownGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("shutdown").status(!gate.stopping()).build();
    }
}
