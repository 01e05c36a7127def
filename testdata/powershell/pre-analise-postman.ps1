$headers = New-Object "System.Collections.Generic.Dictionary[[String],[String]]"
$headers.Add("Content-Type", "application/json")
$headers.Add("Authorization", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwNDUyMDAsImlhdCI6MTc5NTAwMjAwMCwiaXNzIjoiY3JlZmF6b24tYXBpLXBhcmNlaXJvIiwibmJmIjoxNzk1MDAyMDAwLCJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ.OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII")

$body = @"
{
  `"cliente`": {
    `"cpf`": `"529.982.247-25`",
    `"nome`": `"João d'Avila`",
    `"nascimento`": `"1985-03-12`"
  },
  `"profissional`": {
    `"ocupacaoId`": 3
  },
  `"contato`": {
    `"telefone`": `"(11) 98765-4321`",
    `"email`": `"joao.davila@example.com.br`"
  },
  `"endereco`": {
    `"cidadeId`": 5270
  },
  `"operacao`": {
    `"urlNotificacao`": `"https://parceiro.example.com.br/webhooks/crefazon`"
  }
}
"@

$response = Invoke-RestMethod 'https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise' -Method 'POST' -Headers $headers -Body $body
$response | ConvertTo-Json
