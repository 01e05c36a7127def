curl -X POST 'https://api-externo-stag.crefazon.com.br/api/v2/usuarios/login' \
  -H 'Content-Type: application/json' \
  -d '{
    "usuario": {
      "login": "alfa.maria",
      "senha": "********",
      "apiKey": "hml-alfa-4b9e2c7a1d83f605"
    }
  }'
