/*
 * The load of `./jambox bench room` in C, for relay.c: M members over R rooms, one 308-byte datagram
 * per member per 64-frame period (750/s), a room's members spread over 8 slots of the period, one
 * thread sending and polling every socket without sleeping. Latency is send to receive through the
 * relay, after a 3 s warm-up; with the relay's PID, also the relay's CPU over the same window.
 *   usage: gen PORT MEMBERS ROOMS SECONDS [RELAY_PID]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_US 1000000
static long histogram[MAX_US + 1];

/* user + system time of a process, in clock ticks, from /proc */
static long ticks(const char *pid) {
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f || !fgets(line, sizeof line, f)) {
        return -1;
    }
    fclose(f);
    char *p = strrchr(line, ')');
    long utime = 0, stime = 0;
    /* after the name: state, then fields 4..13, then utime (14) and stime (15) */
    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &utime, &stime);
    return utime + stime;
}

static long nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: gen PORT MEMBERS ROOMS SECONDS [RELAY_PID]\n");
        return 2;
    }
    int members = atoi(argv[2]), rooms = atoi(argv[3]), seconds = atoi(argv[4]);
    if (members < 2 || members > 256 || rooms < 1 || rooms > members || seconds < 1) {
        fprintf(stderr, "need 2..256 members, 1..members rooms, at least 1 second\n");
        return 2;
    }
    struct sockaddr_in relay = {0};
    relay.sin_family = AF_INET;
    relay.sin_port = htons(atoi(argv[1]));
    relay.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int sock[256];
    for (int i = 0; i < members; i++) {
        sock[i] = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in local = relay;
        local.sin_port = 0;
        bind(sock[i], (struct sockaddr *) &local, sizeof local);
        int rcvbuf = 1 << 20;
        setsockopt(sock[i], SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    }
    unsigned char out[308] = {0}, in[2048];
    const long period = 1333333, slot = period / 8, warmup = 3000000000L;
    long start = nanos() + 100000000L, end = warmup + seconds * 1000000000L;
    long expected = 0, received = 0, max = 0, cpu0 = -1, cpu1 = -1;
    long stop = start + end + period + 1000000000L; /* a second for the stragglers */
    for (long k = 0; k * period <= end + period; k++) {
        for (int g = 0; g < 8; g++) {
            long due = k * period > end ? stop : start + k * period + g * slot;
            if (argc == 6 && g == 0 && cpu0 < 0 && k * period >= warmup) {
                cpu0 = ticks(argv[5]);
            }
            if (argc == 6 && g == 0 && cpu1 < 0 && k * period > end) {
                cpu1 = ticks(argv[5]);
            }
            while (nanos() < due) {
                for (int i = 0; i < members; i++) {
                    while (recv(sock[i], in, sizeof in, MSG_DONTWAIT) > 0) {
                        long sent;
                        memcpy(&sent, in + 8, 8);
                        if (sent - start >= warmup) {
                            long us = (nanos() - sent) / 1000;
                            us = us > MAX_US ? MAX_US : us;
                            histogram[us]++;
                            received++;
                            max = us > max ? us : max;
                        }
                    }
                }
            }
            for (int i = 0; i < members && due != stop; i++) {
                int room = i % rooms, inRoom = i / rooms;
                if ((room + inRoom) % 8 != g) {
                    continue;
                }
                out[0] = room;
                long now = nanos();
                memcpy(out + 8, &now, 8);
                sendto(sock[i], out, sizeof out, 0, (struct sockaddr *) &relay, sizeof relay);
                if (now - start >= warmup) {
                    expected += members / rooms - 1;
                }
            }
        }
    }
    long seen = 0, p50 = -1, p99 = -1, p999 = -1;
    for (int us = 0; us <= MAX_US; us++) {
        seen += histogram[us];
        if (p50 < 0 && seen >= 0.5 * received) p50 = us;
        if (p99 < 0 && seen >= 0.99 * received) p99 = us;
        if (p999 < 0 && seen >= 0.999 * received) p999 = us;
    }
    printf("received %ld of %ld (loss %.6f): p50 %ld us, p99 %ld us, p999 %ld us, max %ld us\n", received, expected,
           expected ? 1.0 - (double) received / expected : 0.0, p50, p99, p999, max);
    if (cpu0 >= 0 && cpu1 >= 0) {
        printf("relay CPU %.1f %% of a core\n", 100.0 * (cpu1 - cpu0) / sysconf(_SC_CLK_TCK) / ((end - warmup) / 1e9));
    }
    return 0;
}
