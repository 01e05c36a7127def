# Pré-análise pelo script do parceiro (PowerShell 7)
$token = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTUwNDUyMDAsImlhdCI6MTc5NTAwMjAwMCwiaXNzIjoiY3JlZmF6b24tYXBpLXBhcmNlaXJvIiwibmJmIjoxNzk1MDAyMDAwLCJ1bmlxdWVfbmFtZSI6ImFsZmEubWFyaWEifQ.OLYE5TxOy6ZkjJzsK9fq03xO0Sawoqshm55ZxvXeeII'
$headers = @{
    Authorization = "Bearer $token"
    'Content-Type' = 'application/json'
}
$body = @'
{
  "cliente": {
    "cpf": "529.982.247-25",
    "nome": "João d'Avila",
    "nascimento": "1985-03-12"
  },
  "profissional": {
    "ocupacaoId": 3
  },
  "contato": {
    "telefone": "(11) 98765-4321",
    "email": "joao.davila@example.com.br"
  },
  "endereco": {
    "cidadeId": 5270
  },
  "operacao": {
    "urlNotificacao": "https://parceiro.example.com.br/webhooks/crefazon"
  }
}
'@
$resposta = Invoke-RestMethod -Uri 'https://api-externo-stag.crefazon.com.br/api/v2/propostas/pre-analise' -Method Post -Headers $headers -Body $body -TimeoutSec 30
$resposta | ConvertTo-Json
