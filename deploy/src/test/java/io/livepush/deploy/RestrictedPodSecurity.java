package io.livepush.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "restricted" Pod Security Standard (baseline included) as the admission controller applies it to a pod
 * template: https://kubernetes.io/docs/concepts/security/pod-security-standards/. Each finding names the field. One
 * point is stricter than admission: an Unconfined seccomp profile on the pod fails even if every container overrides it.
 */
final class RestrictedPodSecurity {
    private static final Set<String> VOLUME_TYPES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SECCOMP_TYPES = Set.of("RuntimeDefault", "Localhost");

    private RestrictedPodSecurity() {}

    static List<String> violations(Map<String, Object> workload) {
        List<String> found = new ArrayList<>();
        Map<String, Object> spec = Workloads.podSpec(workload);
        Map<String, Object> pod = Yamls.at(spec, "securityContext");
        for (String hostNamespace : List.of("hostNetwork", "hostPID", "hostIPC")) {
            check(found, !Boolean.TRUE.equals(spec.get(hostNamespace)), hostNamespace + ": true");
        }
        for (Object volume : Yamls.list(spec.get("volumes"))) {
            Map<String, Object> source = Yamls.map(volume);
            source.keySet().stream()
                    .filter(key -> !key.equals("name") && !VOLUME_TYPES.contains(key))
                    .forEach(type -> found.add("volume " + source.get("name") + ": type " + type));
        }
        for (Object sysctl : Yamls.list(pod.get("sysctls"))) {
            Object name = Yamls.map(sysctl).get("name");
            check(found, in(SAFE_SYSCTLS, name), "sysctl " + name);
        }
        checkCommon(found, "pod", pod);
        for (Map<String, Object> container : Workloads.allContainers(workload)) {
            String where = "container " + container.get("name");
            Map<String, Object> context = Yamls.at(container, "securityContext");
            checkCommon(found, where, context);
            check(found, !Boolean.TRUE.equals(context.get("privileged")), where + ": privileged");
            check(found, "Default".equals(context.getOrDefault("procMount", "Default")), where + ": procMount");
            check(
                    found,
                    Boolean.FALSE.equals(context.get("allowPrivilegeEscalation")),
                    where + ": allowPrivilegeEscalation");
            Map<String, Object> capabilities = Yamls.at(context, "capabilities");
            check(found, Yamls.list(capabilities.get("drop")).contains("ALL"), where + ": capabilities.drop ALL");
            check(
                    found,
                    Yamls.list(capabilities.get("add")).stream().allMatch("NET_BIND_SERVICE"::equals),
                    where + ": capabilities.add");
            for (Object port : Yamls.list(container.get("ports"))) {
                Object hostPort = Yamls.map(port).getOrDefault("hostPort", 0);
                check(found, Integer.valueOf(0).equals(hostPort), where + ": hostPort " + hostPort);
            }
            // Set on the pod or else on every container.
            check(
                    found,
                    Boolean.TRUE.equals(context.getOrDefault("runAsNonRoot", pod.get("runAsNonRoot"))),
                    where + ": runAsNonRoot");
            Object seccomp = Yamls.at(context, "seccompProfile")
                    .getOrDefault("type", Yamls.at(pod, "seccompProfile").get("type"));
            check(found, in(SECCOMP_TYPES, seccomp), where + ": seccompProfile " + seccomp);
        }
        return found;
    }

    /** What pod and container security contexts both may set, and must not set to these values. */
    private static void checkCommon(List<String> found, String where, Map<String, Object> context) {
        check(found, !Boolean.FALSE.equals(context.get("runAsNonRoot")), where + ": runAsNonRoot false");
        check(found, !Integer.valueOf(0).equals(context.get("runAsUser")), where + ": runAsUser 0");
        Object seccomp = Yamls.at(context, "seccompProfile").get("type");
        check(found, seccomp == null || in(SECCOMP_TYPES, seccomp), where + ": seccompProfile " + seccomp);
        Object appArmor = Yamls.at(context, "appArmorProfile").get("type");
        check(found, !"Unconfined".equals(appArmor), where + ": appArmorProfile Unconfined");
        Map<String, Object> seLinux = Yamls.at(context, "seLinuxOptions");
        check(
                found,
                !seLinux.containsKey("user") && !seLinux.containsKey("role"),
                where + ": seLinuxOptions user/role");
        check(
                found,
                in(
                        Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t"),
                        seLinux.getOrDefault("type", "container_t")),
                where + ": seLinuxOptions type");
        check(
                found,
                !Boolean.TRUE.equals(Yamls.at(context, "windowsOptions").get("hostProcess")),
                where + ": hostProcess");
    }

    /** Set.contains without the NullPointerException of immutable sets: an absent field is not in any. */
    private static boolean in(Set<String> allowed, Object value) {
        return value != null && allowed.contains(value);
    }

    private static void check(List<String> found, boolean allowed, String violation) {
        if (!allowed) {
            found.add(violation);
        }
    }
}
