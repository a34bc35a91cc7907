/*
 * The floor under the room server: a bare UDP relay in C with none of the protocol (no tags, no
 * stats, no bundles). The first payload byte is the room; each datagram goes, as it is, to every
 * other peer of its room. One blocking recvfrom and one sendto per forward: what any relay of
 * separate datagrams must at least pay the kernel.   usage: relay PORT
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#define MAX_PEERS 256

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: relay PORT\n");
        return 2;
    }
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in at = {0};
    at.sin_family = AF_INET;
    at.sin_port = htons(atoi(argv[1]));
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rcvbuf = 1 << 22;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (bind(s, (struct sockaddr *) &at, sizeof at) != 0) {
        perror("bind");
        return 1;
    }
    struct sockaddr_in peer[MAX_PEERS];
    int room[MAX_PEERS];
    int peers = 0;
    unsigned char buf[2048];
    for (;;) {
        struct sockaddr_in from;
        socklen_t fromLen = sizeof from;
        int len = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *) &from, &fromLen);
        if (len < 1) {
            continue;
        }
        int k = 0;
        while (k < peers && peer[k].sin_port != from.sin_port) {
            k++;
        }
        if (k == peers) {
            if (peers == MAX_PEERS) {
                continue;
            }
            peer[peers] = from;
            room[peers++] = buf[0];
        }
        for (int j = 0; j < peers; j++) {
            if (j != k && room[j] == buf[0]) {
                sendto(s, buf, len, 0, (struct sockaddr *) &peer[j], sizeof peer[j]);
            }
        }
    }
}
