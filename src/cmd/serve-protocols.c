/* The protocols `facteur serve` runs. Each server's session file defines its
 * ServerProtocol; this table puts them together, in ServerProto order. */
#include "cmd/serve-setup.h"

const ServerProtocol *const serve_protocols[SERVER_N_PROTOCOLS] = {
    [SERVER_SMTP] = &server_protocol_smtp,
    [SERVER_POP3] = &server_protocol_pop3,
    [SERVER_IMAP] = NULL,
};
