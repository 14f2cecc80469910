/* The protocols facteur serves. Each server's session file defines its
 * ServerProtocol; this table puts them together, in ServerProto order. */
#include "server/server.h"

const ServerProtocol *const server_protocols[SERVER_N_PROTOCOLS] = {
    [SERVER_SMTP] = NULL,
    [SERVER_POP3] = NULL,
    [SERVER_IMAP] = NULL,
};
