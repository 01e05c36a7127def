package intake

import (
	"fmt"
	"strings"
)

// Note is something a parser noticed and assumed, skipped or ignored while reading a paste.
// It carries a message id and its arguments, so that each output renders it in its own
// language (Text). Arguments are never secrets or personal data: option names, counts,
// positions, entry numbers, header names, browser error codes.
type Note struct {
	ID   string
	Args []any
}

// note makes a Note.
func note(id string, args ...any) Note { return Note{ID: id, Args: args} }

// Text renders the note in lang ("en" for English, anything else pt-BR). Arguments that are
// notes themselves are rendered in the same language.
func (n Note) Text(lang string) string {
	m, ok := noteMessages[n.ID]
	if !ok {
		return n.ID
	}
	f := m[0]
	if lang == "en" {
		f = m[1]
	}
	if len(n.Args) == 0 {
		return f
	}
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		if sub, ok := a.(Note); ok {
			args[i] = sub.Text(lang)
		} else {
			args[i] = a
		}
	}
	return fmt.Sprintf(f, args...)
}

func (n Note) String() string { return n.Text("en") }

// NoteTexts renders notes in lang, in order, without repeats.
func NoteTexts(notes []Note, lang string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range notes {
		s := n.Text(lang)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// hasNote tells whether notes hold one with the id.
func hasNote(notes []Note, id string) bool {
	for _, n := range notes {
		if n.ID == id {
			return true
		}
	}
	return false
}

// noteMessages holds every note's text: pt-BR first, then English. Whole sentences, with
// placeholders for the arguments.
var noteMessages = map[string][2]string{
	// curl
	"curl.where-pos":      {"(posição %d)", "(position %d)"},
	"curl.where":          {"(posição %d) na linha %d, coluna %d", "(position %d) at line %d, column %d"},
	"curl.cp1252":         {"o texto não é UTF-8: lido como Windows-1252 (Latin-1)", "the text is not UTF-8: read as Windows-1252 (Latin-1)"},
	"curl.many":           {"o texto tem %d comandos: só o primeiro comando curl foi lido, os outros foram ignorados", "the text has %d commands: only the first curl command was read, the others were ignored"},
	"curl.many-at":        {"o texto tem %d comandos: só o primeiro comando curl (o %dº) foi lido, os outros foram ignorados", "the text has %d commands: only the first curl command (command %d) was read, the others were ignored"},
	"curl.var":            {"a variável de shell $%s foi mantida como escrita, sem expandir", "shell variable $%s kept as written, not expanded"},
	"curl.cmdsubst":       {"a substituição de comando $(...) foi mantida como escrita, sem executar", "command substitution $(...) kept as written, not run"},
	"curl.expansion":      {"uma expansão do shell foi mantida como escrita, sem expandir", "a shell expansion was kept as written, not expanded"},
	"curl.cmd-redirect":   {"um redirecionamento do cmd (< ou >) e o que o seguia na linha foram ignorados", "a cmd redirection (< or >) and what followed it on the line were ignored"},
	"curl.windows":        {"lido como linha de comando do cmd.exe do Windows (escapes ^, aspas \\\")", "read as a Windows cmd.exe command line (^ escapes, \\\" quotes)"},
	"curl.referer-auto":   {"-e ;auto (o referer nos redirecionamentos) ignorado", "-e ;auto (the referer on redirects) ignored"},
	"curl.ignored":        {"%s ignorado: não muda a requisição", "%s ignored: it does not change the request"},
	"curl.header-badname": {"um valor de -H (posição %d, linha %d, coluna %d) não tem nome de cabeçalho válido: ignorado", "a -H value (position %d, line %d, column %d) has no valid header name: ignored"},
	"curl.header-noname":  {"um valor de -H (posição %d, linha %d, coluna %d) não tem a parte \"Nome:\": o curl não o envia; ignorado", "a -H value (position %d, line %d, column %d) has no \"Name:\" part: curl does not send it; ignored"},
	"curl.header-remove":  {"-H '%s:' remove o cabeçalho: lido como ausente", "-H '%s:' removes the header: read as absent"},
	"curl.header-empty":   {"-H '%s;' envia o cabeçalho vazio", "-H '%s;' sends the header empty"},
	"curl.user-nopass":    {"-u não traz senha: o curl a pediria, então nenhum cabeçalho Authorization foi registrado", "-u gives no password: curl would ask for it, so no Authorization header is recorded"},
	"curl.cookie-file":    {"-b/--cookie indica um arquivo de cookies: não foi lido, então seus cookies não estão na requisição", "-b/--cookie names a cookie file: not read, so its cookies are not in the request"},
	"curl.no-scheme":      {"a URL não tem esquema: lida como http://, como o curl faz", "the URL has no scheme: read as http://, as curl does"},
	"curl.url-userinfo":   {"usuário e senha na URL: passados ao cabeçalho Authorization e retirados da URL", "user and password in the URL: moved to the Authorization header, taken out of the URL"},
	"curl.get-query":      {"-G/--get: os dados foram para a query da URL, não para o corpo", "-G/--get: the data went to the URL's query, not to the body"},
	"curl.form-default":   {"sem cabeçalho Content-Type: o curl envia dados de -d como application/x-www-form-urlencoded", "no Content-Type header: curl sends -d data as application/x-www-form-urlencoded"},
	"curl.abbrev":         {"%s lido como %s (abreviação, como o curl aceita)", "%s read as %s (an abbreviation, as curl accepts it)"},
	"curl.auth-scheme":    {"%s: o curl negocia a autenticação com o servidor; o cabeçalho Authorization que ele enviaria não está no texto", "%s: curl negotiates the authentication with the server; the Authorization header it would send is not in the text"},
	"curl.netrc":          {"%s: o usuário e a senha viriam de um arquivo .netrc, que não foi lido", "%s: the user and password would come from a .netrc file, which was not read"},
	"curl.form":           {"-F/--form: o corpo foi montado como multipart/form-data (com uma fronteira fixa; o curl sortearia outra)", "-F/--form: the body was built as multipart/form-data (with a fixed boundary; curl would pick a random one)"},
	"curl.form-extra":     {"-F/--form: headers= e encoder= de uma parte foram ignorados", "-F/--form: a part's headers= and encoder= were ignored"},
	"curl.upload-name":    {"-T/--upload-file: a URL termina em /, então o nome do arquivo foi acrescentado a ela, como o curl faz", "-T/--upload-file: the URL ends in /, so the file's name was added to it, as curl does"},
	"curl.glob-one":       {"a URL tem {…} com um só valor: o curl o envia sem as chaves, e assim foi lida", "the URL has a {…} with one value: curl sends it without the braces, and so it was read"},
	"curl.glob-escape":    {"as barras de \\[ \\] \\{ \\} na URL foram retiradas, como o curl faz", "the backslashes of \\[ \\] \\{ \\} in the URL were removed, as curl does"},
	"curl.glob-many":      {"a URL é um padrão que o curl expande em %d requisições: foi lida a primeira", "the URL is a pattern that curl expands into %d requests: the first was read"},
	"curl.next":           {"-:/--next começa outra requisição no mesmo comando: só a primeira foi lida", "-:/--next starts another request in the same command: only the first was read"},
	"curl.continue-auto":  {"-C - retomaria um download a partir do tamanho do arquivo de saída, que não está no texto: cabeçalho Range não registrado", "-C - would resume a download from the output file's size, which is not in the text: no Range header recorded"},
	"curl.time-cond":      {"-z/--time-cond não traz uma data: o curl usaria a data de um arquivo, que não está no texto; condição ignorada", "-z/--time-cond gives no date: curl would use a file's time, which is not in the text; condition ignored"},
	"curl.old-chrome-cmd": {"o texto tem os escapes ^ dentro de \"...\" do \"Copy as cURL (cmd)\" antigo do Chrome: retirados, como o navegador enviou a requisição", "the text has the ^ escapes inside \"...\" of Chrome's old \"Copy as cURL (cmd)\": removed, as the browser sent the request"},
	"curl.file-missing":   {"%s @%s: o arquivo não veio junto com o comando; o curl avisaria e enviaria a requisição sem esse conteúdo, e assim ela foi lida", "%s @%s: the file did not come with the command; curl would warn and send the request without that content, and so it was read"},
	"curl.doubled-quotes": {"lido como linha de comando do Windows com aspas dobradas (\"\" dentro de \"...\" é uma aspa do JSON)", "read as a Windows command line with doubled quotes (\"\" inside \"...\" is a quote of the JSON)"},
	"curl.lost-breaks":    {"as quebras de linha do comando se perderam ao colar (\\ seguido de espaço antes de uma opção): lido como continuação de linha", "the command's line breaks were lost when pasted (\\ and a space before an option): read as line continuations"},
	"curl.caret-space":    {"há espaços depois do ^ na linha %d, coluna %d: o cmd terminaria o comando ali; lido como continuação de linha", "there are spaces after the ^ at line %d, column %d: cmd would end the command there; read as a line continuation"},
	// PowerShell
	"ps.many":           {"o texto tem %d comandos de requisição: só o primeiro foi lido", "the text has %d request commands: only the first was read"},
	"ps.ignored":        {"%s ignorado: não muda a requisição", "%s ignored: it does not change the request"},
	"ps.auth":           {"%s: o PowerShell monta a autenticação a partir dele; o cabeçalho que seria enviado não está no texto", "%s: PowerShell builds the authentication from it; the header it would send is not in the text"},
	"ps.no-scheme":      {"a -Uri não tem esquema: lida como http://", "the -Uri has no scheme: read as http://"},
	"ps.cookies":        {"o cabeçalho Cookie foi montado a partir de $session.Cookies.Add(...)", "the Cookie header was built from $session.Cookies.Add(...)"},
	"ps.expanded":       {"%s tem variáveis ou $(...) dentro das aspas: mantidos como escritos, sem executar", "%s has variables or $(...) inside its quotes: kept as written, not run"},
	"ps.variable":       {"%s usa a variável $%s, que o texto não define: mantida como escrita", "%s uses the variable $%s, which the text does not set: kept as written"},
	"ps.form":           {"-Body é uma tabela @{...}: enviada como formulário URL-encoded, como o PowerShell faz", "-Body is a @{...} table: sent as a URL-encoded form, as PowerShell does"},
	"ps.lost-breaks":    {"as quebras de linha do comando se perderam ao colar (` seguido de espaço antes de um parâmetro): lido como continuação de linha", "the command's line breaks were lost when pasted (` and a space before a parameter): read as line continuations"},
	"ps.smart-quotes":   {"o texto tem aspas tipográficas (“ ” ‘ ’): lidas como aspas retas, como o PowerShell faz", "the text has typographic quotes (“ ” ‘ ’): read as straight quotes, as PowerShell does"},
	"curl.detected":     {"o texto é um comando curl, não PowerShell: lido como curl", "the text is a curl command, not PowerShell: read as curl"},
	"ps.convertto-json": {"o corpo foi montado de @{...} | ConvertTo-Json, com os campos na ordem em que foram escritos", "the body was built from @{...} | ConvertTo-Json, with the fields in the order written"},
	"ps.detected":       {"o texto é um comando do PowerShell (Invoke-WebRequest/Invoke-RestMethod), não curl: lido como PowerShell", "the text is a PowerShell command (Invoke-WebRequest/Invoke-RestMethod), not curl: read as PowerShell"},
	// raw HTTP
	"http.h2-line":      {"a linha de requisição foi remontada a partir dos pseudo-cabeçalhos HTTP/2", "the request line was rebuilt from the HTTP/2 pseudo-headers"},
	"http.no-body":      {"Content-Length indica %d bytes, mas o texto não tem corpo (falta a linha em branco depois dos cabeçalhos)", "Content-Length says %d bytes but the dump has no body (no blank line after the headers)"},
	"http.no-version":   {"a linha de requisição não tem versão HTTP: lida como HTTP/1.1", "the request line has no HTTP version: read as HTTP/1.1"},
	"http.version":      {"a linha de requisição diz %s: lida como HTTP/1.1", "the request line says %s: read as HTTP/1.1"},
	"http.host-differs": {"o cabeçalho Host difere do servidor da linha de requisição: vale o da linha de requisição", "the Host header differs from the request line's host: the request line's is used"},
	"http.host-url":     {"o cabeçalho Host traz uma URL: foi usado o servidor dela", "the Host header holds a URL: its host is used"},
	"http.chunked":      {"o corpo em partes (chunked) foi decodificado", "the chunked body was decoded"},
	"http.chunked-bad":  {"o corpo em partes (chunked) não pôde ser decodificado: mantido como está", "the chunked body could not be decoded: kept as it is"},
	"http.te-other":     {"Transfer-Encoding não é só chunked: o corpo foi mantido como está", "Transfer-Encoding is not only chunked: the body is kept as it is"},
	"http.no-length":    {"sem cabeçalho Content-Length: o corpo foi lido até o fim do arquivo", "no Content-Length header: the body is read to the end of the file"},
	"http.length":       {"o corpo tem %d bytes, mas Content-Length indica %d: vale o corpo do texto", "the body has %d bytes but Content-Length says %d: the body in the dump is used"},
	"http.length-eol":   {"o corpo tem %d bytes, mas Content-Length indica %d: vale o corpo do texto (as quebras de linha mudaram ao colar?)", "the body has %d bytes but Content-Length says %d: the body in the dump is used (line endings changed when it was pasted?)"},
	// HAR
	"har.utf16":           {"o arquivo HAR está em UTF-16: foi convertido para UTF-8 antes da leitura", "the HAR file is UTF-16: it was converted to UTF-8 before reading"},
	"har.sanitized":       {"nenhuma entrada deste HAR do Chrome tem cabeçalho Authorization ou Cookie: o export removeu o cabeçalho Authorization (o Chrome só o mantém quando o HAR é exportado com dados sensíveis)", "no entry of this Chrome HAR carries an Authorization or Cookie header: the export removed the Authorization header (Chrome keeps it only when the HAR is exported with sensitive data)"},
	"har.form-rebuilt":    {"o corpo da requisição foi remontado de postData.params como formulário URL-encoded", "the request body was rebuilt from postData.params as a URL-encoded form"},
	"har.multipart":       {"a requisição era multipart: arquivos e cabeçalhos das partes não estão no corpo remontado", "the request was multipart: files and part headers are not in the rebuilt body"},
	"har.body-unknown":    {"request.bodySize indica %s bytes, mas o HAR não traz postData: o corpo é desconhecido", "request.bodySize says %s bytes but the HAR holds no postData: the body is unknown"},
	"har.no-resp-text":    {"response.content.size indica %s bytes, mas o HAR não traz o texto da resposta", "response.content.size says %s bytes but the HAR holds no response text"},
	"har.encoding":        {"response.content.encoding %q não é conhecido: o texto da resposta foi mantido como está", "response.content.encoding %q is not understood: the response text is kept as written"},
	"har.no-answer":       {"a requisição não recebeu resposta (response.status 0)", "the request got no answer (response.status 0)"},
	"har.no-answer-why":   {"a requisição não recebeu resposta: %s", "the request got no answer: %s"},
	"har.time-no-offset":  {"entrada %d: startedDateTime não tem fuso horário: lido no fuso %s", "entry %d: startedDateTime has no time zone offset: read in %s"},
	"har.stray-percent":   {"a URL tem um % que não inicia um escape: lido como %25", "the URL has a % that starts no escape: read as %25"},
	"har.cookies":         {"o cabeçalho Cookie foi montado a partir de request.cookies", "the Cookie header was built from request.cookies"},
	"har.login":           {"o usuário e a chave de API vieram da chamada de login da entrada %d do mesmo HAR", "the user and the API key came from the login call in entry %d of the same HAR"},
	"har.skipped":         {"entrada %d ignorada: %s", "entry %d skipped: %s"},
	"har.skipped-more":    {"e mais %d entradas ignoradas", "and %d more entries skipped"},
	"har.preflight":       {"a consulta prévia de CORS (OPTIONS, entrada %d) da mesma URL não foi contada como outra falha", "the CORS preflight (OPTIONS, entry %d) of the same URL was not counted as another failure"},
	"har.resp-capped":     {"a resposta tinha %d bytes: foram guardados só os primeiros %d", "the response had %d bytes: only the first %d were kept"},
	"har.resp-errors":     {"a resposta tinha %d bytes: foram guardados só os campos curtos e as mensagens de erro", "the response had %d bytes: only its short fields and error messages were kept"},
	"har.url.escape":      {"um % sem dois dígitos hexadecimais depois", "a % not followed by two hex digits"},
	"har.url.control":     {"um caractere de controle", "a control character"},
	"har.url.port":        {"uma porta inválida", "an invalid port"},
	"har.url.host":        {"um servidor inválido", "an invalid host"},
	"har.url.scheme":      {"sem esquema", "no scheme"},
	"har.url.other":       {"não pode ser interpretada", "cannot be parsed"},
	"har.reason.request":  {"sem request", "no request"},
	"har.reason.data-url": {"URL data: (conteúdo embutido na página, não uma requisição)", "a data: URL (content embedded in the page, not a request)"},
	"har.reason.method":   {"request.method vazio", "request.method is empty"},
	"har.reason.badmeth":  {"request.method não é um método HTTP", "request.method is not an HTTP method"},
	"har.reason.no-url":   {"request.url vazio", "request.url is empty"},
	"har.reason.url":      {"request.url não é uma URL (%s)", "request.url is not a URL (%s)"},
	"har.reason.relative": {"request.url é relativa (sem esquema e servidor)", "request.url is relative (no scheme and host)"},
	"har.reason.time":     {"startedDateTime não é uma data e hora ISO 8601", "startedDateTime is not an ISO 8601 date and time"},
	"har.reason.status":   {"response.status %s não é um status HTTP", "response.status %s is not an HTTP status"},
	"har.reason.json":     {"%s: esperado um %s JSON, veio %s (linha %d)", "%s: want a JSON %s, got %s (line %d)"},
	"har.reason.entry":    {"não é um objeto de entrada HAR (linha %d)", "not a HAR entry object (line %d)"},
	"har.reason.base64":   {"response.content.text não é base64 válido (%s)", "response.content.text is not valid base64 (%s)"},
}

// clipSafe keeps a short text that may appear in a note: printable ASCII without spaces
// runs, at most n bytes. Anything else becomes "".
func clipSafe(s string, n int) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > n {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= 0x7f || strings.IndexByte(`"'<>\`+"`", c) >= 0 {
			return ""
		}
	}
	return s
}
