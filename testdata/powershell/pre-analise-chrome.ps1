$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession
$session.UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36"
$session.Cookies.Add((New-Object System.Net.Cookie("_ga", "GA1.1.1234567890.1763400000", "/", ".parceiro.example.com.br")))
Invoke-WebRequest -UseBasicParsing -Uri "https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise" `
-Method "POST" `
-WebSession $session `
-Headers @{
"authority"="api-externo-stag.crefazon.com.br"
  "method"="POST"
  "path"="/api/v2/propostas/pre-analise"
  "scheme"="https"
  "accept"="application/json, text/plain, */*"
  "accept-language"="pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7"
  "authorization"="Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwNDUyMDAsImlhdCI6MTc5NTAwMjAwMCwiaXNzIjoiY3JlZmF6b24tYXBpLXBhcmNlaXJvIiwibmJmIjoxNzk1MDAyMDAwLCJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ.OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII"
  "origin"="https://parceiro.example.com.br"
  "priority"="u=1, i"
  "referer"="https://parceiro.example.com.br/"
  "sec-ch-ua"="`"Google Chrome`";v=`"141`", `"Not?A_Brand`";v=`"8`", `"Chromium`";v=`"141`""
  "sec-ch-ua-mobile"="?0"
  "sec-ch-ua-platform"="`"Windows`""
  "sec-fetch-dest"="empty"
  "sec-fetch-mode"="cors"
  "sec-fetch-site"="cross-site"
} `
-ContentType "application/json" `
-Body ([System.Text.Encoding]::UTF8.GetBytes("{`"cliente`":{`"cpf`":`"529.982.247-25`",`"nome`":`"Jo$([char]227)o d'Avila`",`"nascimento`":`"1985-03-12`"},`"profissional`":{`"ocupacaoId`":3},`"contato`":{`"telefone`":`"(11) 98765-4321`",`"email`":`"joao.davila@example.com.br`"},`"endereco`":{`"cidadeId`":5270},`"operacao`":{`"urlNotificacao`":`"https://parceiro.example.com.br/webhooks/crefazon`"}}"))
