/* The protocols facteur serves. Each server's session file defines its
 * ServerProtocol; this table puts them together, in ServerProto order. */
#include "server/server.h"

const ServerProtocol *const server_protocols[SERVER_N_PROTOCOLS] = {
    [SERVER_SMTP] = &server_protocol_smtp,
    [SERVER_POP3] = &server_protocol_pop3,
    [SERVER_IMAP] = &server_protocol_imap,
};
