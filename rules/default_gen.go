// Code generated from default.yaml by TestDefaultGeneratedFileIsCurrent (go generate ./rules/); DO NOT EDIT.

package rules

import "time"

func init() {
	generatedDefault = defaultRulesValue
	generatedRedaction = defaultRedactionValue
}

const generatedDefaultHash = "be76b9ff78a6af36c7bf9cf0420eabe1e2ee69253d619abda34e19a056d78eb8"

func defaultRulesValue() *Rules {
	return &Rules{
		Schema:   "triagem.rules/v1",
		Name:     "crefazon-default",
		Version:  "2026.11.1",
		Timezone: "America/Sao_Paulo",
		Environments: []Environment{
			Environment{
				ID:      "homologacao",
				Name:    "Homologação",
				BaseURL: "https://api-externo-stag.crefazon.com.br/api/v2",
				Hosts: []string{
					"api-externo-stag.crefazon.com.br",
					"app2-crefaz-api-external-stag.azurewebsites.net",
					"app-crefaz-api-external-stag.azurewebsites.net",
				},
			},
			Environment{
				ID:      "producao",
				Name:    "Produção",
				BaseURL: "https://api-externo.crefazon.com.br/api/v2",
				Hosts: []string{
					"api-externo.crefazon.com.br",
					"api.crefazon.com.br",
				},
			},
		},
		APIVersions: []APIVersion{
			APIVersion{
				ID:     "v2",
				Level:  2,
				Prefix: "/api/v2/",
			},
			APIVersion{
				ID:     "v1",
				Level:  1,
				Prefix: "/api/",
			},
		},
		Products: []Product{
			Product{
				ID:         "consignado",
				Name:       "Consignado",
				OnAPI:      true,
				MinVersion: "v2",
				PayloadIDs: []int{
					4,
				},
				Aliases: []string{
					"Consignado Privado",
					"Crédito do Trabalhador",
					"Credito Trabalhador",
					"CLT",
				},
			},
			Product{
				ID:    "energia",
				Name:  "Energia",
				OnAPI: true,
				PayloadIDs: []int{
					6,
				},
				Aliases: []string{
					"Crédito na Conta de Luz",
					"Conta de Luz",
					"Boleto Energia",
				},
			},
			Product{
				ID:         "cp-auto",
				Name:       "CP Auto",
				OnAPI:      true,
				MinVersion: "v2",
				Aliases: []string{
					"CP Automóvel",
					"Garantia de Veículo",
					"Auto",
				},
			},
			Product{
				ID:         "cdc-energia",
				Name:       "CDC Energia",
				OnAPI:      true,
				MinVersion: "v2",
			},
			Product{
				ID:   "luz-em-dia",
				Name: "Luz em Dia",
				Aliases: []string{
					"Luz Em Dia",
					"LuzEmDia",
				},
				Channel: "interface web do CrefazOn",
			},
		},
		Routes: []Route{
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/usuarios/login",
				Login:   true,
				Schema: map[string]any{
					"properties": map[string]any{
						"usuario": map[string]any{
							"properties": map[string]any{
								"apiKey": map[string]any{
									"minLength": int(1),
									"type":      string("string"),
								},
								"login": map[string]any{
									"minLength": int(1),
									"type":      string("string"),
								},
								"senha": map[string]any{
									"minLength": int(1),
									"type":      string("string"),
								},
							},
							"required": []any{
								string("login"),
								string("senha"),
								string("apiKey"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("usuario"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/propostas/pre-analise",
				Async:   true,
				Schema: map[string]any{
					"properties": map[string]any{
						"cliente": map[string]any{
							"properties": map[string]any{
								"cpf": map[string]any{
									"format": string("cpf"),
									"type":   string("string"),
								},
								"nascimento": map[string]any{
									"format": string("date"),
									"type":   string("string"),
								},
								"nome": map[string]any{
									"minLength": int(1),
									"type":      string("string"),
								},
							},
							"required": []any{
								string("cpf"),
								string("nome"),
								string("nascimento"),
							},
							"type": string("object"),
						},
						"contato": map[string]any{
							"properties": map[string]any{
								"telefone": map[string]any{
									"pattern": string("^\\+?[0-9 ().-]{8,20}$"),
									"type":    string("string"),
								},
							},
							"required": []any{
								string("telefone"),
							},
							"type": string("object"),
						},
						"endereco": map[string]any{
							"properties": map[string]any{
								"cidadeId": map[string]any{
									"type": string("integer"),
								},
							},
							"required": []any{
								string("cidadeId"),
							},
							"type": string("object"),
						},
						"operacao": map[string]any{
							"properties": map[string]any{
								"urlNotificacao": map[string]any{
									"format": string("http-url"),
									"type":   string("string"),
								},
							},
							"required": []any{
								string("urlNotificacao"),
							},
							"type": string("object"),
						},
						"profissional": map[string]any{
							"properties": map[string]any{
								"ocupacaoId": map[string]any{
									"type": string("integer"),
								},
							},
							"required": []any{
								string("ocupacaoId"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("cliente"),
						string("profissional"),
						string("contato"),
						string("endereco"),
						string("operacao"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "GET",
				Path:    "/propostas/{id}/produtos-ofertados",
			},
			Route{
				Version: "v2",
				Method:  "PUT",
				Path:    "/propostas/{id}/produtos-ofertados/{produtoId}",
				Async:   true,
				Schema: map[string]any{
					"properties": map[string]any{
						"operacao": map[string]any{
							"properties": map[string]any{
								"prazo": map[string]any{
									"minimum": int(1),
									"type":    string("integer"),
								},
								"tabelaJuros": map[string]any{
									"properties": map[string]any{
										"id": map[string]any{
											"type": string("integer"),
										},
									},
									"required": []any{
										string("id"),
									},
									"type": string("object"),
								},
								"tipoCalculo": map[string]any{
									"enum": []any{
										int(0),
										int(1),
									},
								},
								"urlNotificacao": map[string]any{
									"format": string("http-url"),
									"type":   string("string"),
								},
								"valorParcela": map[string]any{
									"type": string("number"),
								},
								"valorRenda": map[string]any{
									"type": string("number"),
								},
								"valorSolicitado": map[string]any{
									"type": string("number"),
								},
							},
							"required": []any{
								string("tabelaJuros"),
								string("prazo"),
								string("valorParcela"),
								string("valorRenda"),
								string("vencimento"),
								string("valorSolicitado"),
								string("tipoCalculo"),
								string("urlNotificacao"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("operacao"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "PUT",
				Path:    "/proposta/{id}/produtos-ofertados/consultar",
				Async:   true,
				Product: "cp-auto",
			},
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/propostas/{id}/autorizacao-consulta",
				Async:   true,
				Product: "consignado",
				Schema: map[string]any{
					"properties": map[string]any{
						"contato": map[string]any{
							"properties": map[string]any{
								"telefone": map[string]any{
									"pattern": string("^\\+?[0-9 ().-]{8,20}$"),
									"type":    string("string"),
								},
							},
							"required": []any{
								string("telefone"),
							},
							"type": string("object"),
						},
						"operacao": map[string]any{
							"properties": map[string]any{
								"urlNotificacao": map[string]any{
									"format": string("http-url"),
									"type":   string("string"),
								},
							},
							"required": []any{
								string("urlNotificacao"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("contato"),
						string("operacao"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/propostas/{id}/calculo-vencimento",
				Schema: map[string]any{
					"properties": map[string]any{
						"operacao": map[string]any{
							"required": []any{
								string("vencimento"),
							},
							"type": string("object"),
						},
						"produto": map[string]any{
							"properties": map[string]any{
								"id": map[string]any{
									"type": string("integer"),
								},
								"tabelaJuros": map[string]any{
									"properties": map[string]any{
										"id": map[string]any{
											"type": string("integer"),
										},
									},
									"required": []any{
										string("id"),
									},
									"type": string("object"),
								},
							},
							"required": []any{
								string("id"),
								string("tabelaJuros"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("produto"),
						string("operacao"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/propostas/{id}/limite-credito",
				Schema: map[string]any{
					"$defs": map[string]any{
						"produto": map[string]any{
							"properties": map[string]any{
								"id": map[string]any{
									"type": string("integer"),
								},
								"tabelaJuros": map[string]any{
									"properties": map[string]any{
										"id": map[string]any{
											"type": string("integer"),
										},
									},
									"required": []any{
										string("id"),
									},
									"type": string("object"),
								},
							},
							"required": []any{
								string("id"),
								string("tabelaJuros"),
							},
							"type": string("object"),
						},
					},
					"properties": map[string]any{
						"operacao": map[string]any{
							"properties": map[string]any{
								"valorRenda": map[string]any{
									"type": string("number"),
								},
							},
							"required": []any{
								string("vencimento"),
								string("valorRenda"),
							},
							"type": string("object"),
						},
						"produto": map[string]any{
							"$ref": string("#/$defs/produto"),
						},
					},
					"required": []any{
						string("produto"),
						string("operacao"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/propostas/{id}/simulacao-credito",
				Schema: map[string]any{
					"properties": map[string]any{
						"operacao": map[string]any{
							"properties": map[string]any{
								"tipoCalculo": map[string]any{
									"enum": []any{
										int(0),
										int(1),
									},
								},
								"valor": map[string]any{
									"type": string("number"),
								},
								"valorRenda": map[string]any{
									"type": string("number"),
								},
							},
							"required": []any{
								string("vencimento"),
								string("valor"),
								string("valorRenda"),
								string("tipoCalculo"),
							},
							"type": string("object"),
						},
						"produto": map[string]any{
							"properties": map[string]any{
								"id": map[string]any{
									"type": string("integer"),
								},
								"tabelaJuros": map[string]any{
									"properties": map[string]any{
										"id": map[string]any{
											"type": string("integer"),
										},
									},
									"required": []any{
										string("id"),
									},
									"type": string("object"),
								},
							},
							"required": []any{
								string("id"),
								string("tabelaJuros"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("produto"),
						string("operacao"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/propostas/tipos-documentos",
				Schema: map[string]any{
					"properties": map[string]any{
						"operacao": map[string]any{
							"required": []any{
								string("tipoModalidade"),
							},
							"type": string("object"),
						},
						"proposta": map[string]any{
							"required": []any{
								string("id"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("proposta"),
						string("operacao"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "PUT",
				Path:    "/propostas/{id}/documento",
				Schema: map[string]any{
					"properties": map[string]any{
						"documento": map[string]any{
							"properties": map[string]any{
								"conteudo": map[string]any{
									"pattern": string("^data:[a-z]+/[a-zA-Z0-9.+-]+;base64,"),
									"type":    string("string"),
								},
							},
							"required": []any{
								string("id"),
								string("conteudo"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("documento"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "PUT",
				Path:    "/propostas/{id}/proposta-credito",
				Async:   true,
				Schema: map[string]any{
					"properties": map[string]any{
						"cliente": map[string]any{
							"properties": map[string]any{
								"cpf": map[string]any{
									"format": string("cpf"),
									"type":   string("string"),
								},
							},
							"type": string("object"),
						},
						"operacao": map[string]any{
							"properties": map[string]any{
								"urlNotificacao": map[string]any{
									"format": string("http-url"),
									"type":   string("string"),
								},
							},
							"required": []any{
								string("urlNotificacao"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("operacao"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "GET",
				Path:    "/propostas/{id}/link-assinatura",
				Product: "consignado",
			},
			Route{
				Version: "v2",
				Method:  "GET",
				Path:    "/propostas/{id}/dados-bancarios",
			},
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/propostas/{id}/dados-bancarios",
				Schema: map[string]any{
					"properties": map[string]any{
						"bancario": map[string]any{
							"properties": map[string]any{
								"bancoId": map[string]any{
									"type": string("integer"),
								},
							},
							"required": []any{
								string("bancoId"),
								string("agencia"),
								string("digito"),
								string("numero"),
								string("conta"),
								string("tipoConta"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("bancario"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "PUT",
				Path:    "/propostas/{id}/cancelamento",
			},
			Route{
				Version: "v2",
				Method:  "GET",
				Path:    "/propostas/processamento/{processoId}",
			},
			Route{
				Version: "v2",
				Method:  "POST",
				Path:    "/enderecos/cidades",
				Schema: map[string]any{
					"properties": map[string]any{
						"endereco": map[string]any{
							"properties": map[string]any{
								"nomeCidade": map[string]any{
									"minLength": int(1),
									"type":      string("string"),
								},
								"uf": map[string]any{
									"pattern": string("^[A-Z]{2}$"),
									"type":    string("string"),
								},
							},
							"required": []any{
								string("nomeCidade"),
								string("uf"),
							},
							"type": string("object"),
						},
					},
					"required": []any{
						string("endereco"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v2",
				Method:  "GET",
				Path:    "/enderecos/paises",
			},
			Route{
				Version: "v1",
				Method:  "POST",
				Path:    "/Usuario/login",
				Login:   true,
				Schema: map[string]any{
					"properties": map[string]any{
						"apiKey": map[string]any{
							"minLength": int(1),
							"type":      string("string"),
						},
						"login": map[string]any{
							"minLength": int(1),
							"type":      string("string"),
						},
						"senha": map[string]any{
							"minLength": int(1),
							"type":      string("string"),
						},
					},
					"required": []any{
						string("login"),
						string("senha"),
						string("apiKey"),
					},
					"type": string("object"),
				},
			},
			Route{
				Version: "v1",
				Method:  "POST",
				Path:    "/Proposta",
			},
			Route{
				Version: "v1",
				Method:  "GET",
				Path:    "/Proposta/oferta-produto/{id}",
			},
			Route{
				Version: "v1",
				Method:  "POST",
				Path:    "/Proposta/calculo-vencimento",
			},
			Route{
				Version: "v1",
				Method:  "POST",
				Path:    "/Proposta/simulacao-valor/{id}",
			},
			Route{
				Version: "v1",
				Method:  "GET",
				Path:    "/Endereco/Cidade/{id}",
			},
			Route{
				Version: "v1",
				Method:  "GET",
				Path:    "/proposta/acompanhamento",
			},
		},
		Token: Token{
			Lifetime: Duration{
				Duration: time.Duration(43200000000000),
			},
			Leeway: Duration{
				Duration: time.Duration(60000000000),
			},
		},
		BusinessHours: BusinessHours{
			Days: []string{
				"mon",
				"tue",
				"wed",
				"thu",
				"fri",
			},
			Open:  Clock(480),
			Close: Clock(1080),
		},
		Holidays: Holidays{
			Calendar: "bancario",
		},
		Routines: []Routine{
			Routine{
				Name: "rotinas noturnas",
				Days: []string{
					"all",
				},
				Window: Window{
					Start: Clock(1320),
					End:   Clock(360),
				},
			},
		},
		Unavailable: Unavailable{
			Statuses: []int{
				500,
				502,
				503,
				504,
			},
			TimeoutPatterns: []string{
				"timeout",
				"timed out",
				"tempo esgotado",
				"tempo limite",
				"deadline exceeded",
				"gateway time-out",
			},
		},
		Errors: []KnownError{
			KnownError{
				Message: "Identificador unico invalido!",
				Section: "3.2",
				Meaning: Texts{
					"en":    "the login route rejected the API key",
					"pt-BR": "o login recusou a API Key",
				},
			},
			KnownError{
				Message: "Usuario nao cadastrado",
				Section: "3.6",
				Meaning: Texts{
					"en":    "the login does not exist in the environment called",
					"pt-BR": "o login não existe no ambiente chamado",
				},
			},
			KnownError{
				Message: "Usuario ou senha incorretos",
				Section: "3.3",
				Meaning: Texts{
					"en":    "wrong login or password at login",
					"pt-BR": "login ou senha errados no login",
				},
			},
			KnownError{
				Message: "A proposta nao pertence ao seu usuario!",
				Section: "3.7",
				Meaning: Texts{
					"en":    "another user created the proposal: check which user and key are used",
					"pt-BR": "a proposta foi criada por outro usuário: vínculo de usuário e API Key a conferir",
				},
			},
			KnownError{
				Message: "Proposta invalida.",
				Section: "3.9",
				Meaning: Texts{
					"en":    "the proposal id does not exist or is not this partner's",
					"pt-BR": "o id de proposta não existe ou não é deste parceiro",
				},
			},
			KnownError{
				Message: "Nao e possivel realizar essa acao. Proposta ja cancelada ou negada",
				Section: "3.9",
				Meaning: Texts{
					"en":    "the proposal was already cancelled or denied",
					"pt-BR": "a proposta já foi cancelada ou negada",
				},
			},
			KnownError{
				Message: "Banco invalido ou inativo.",
				Section: "3.9",
				Meaning: Texts{
					"en":    "unknown or inactive bancoId",
					"pt-BR": "bancoId inexistente ou inativo",
				},
			},
			KnownError{
				Message: "Nenhum registro encontrado!",
				Section: "3.9",
				Meaning: Texts{
					"en":    "the lookup found nothing",
					"pt-BR": "a consulta não encontrou registros",
				},
			},
			KnownError{
				Message:   "Link Indisponivel no Momento",
				Temporary: true,
				Section:   "3.4",
				Meaning: Texts{
					"en":    "the signature link is still being generated",
					"pt-BR": "o link de assinatura ainda está sendo gerado",
				},
			},
			KnownError{
				Message:   "Falha de comunicacao com o Motor de Credito",
				Temporary: true,
				Section:   "3.4",
				Meaning: Texts{
					"en":    "temporary failure of the credit engine",
					"pt-BR": "falha temporária do motor de crédito",
				},
			},
			KnownError{
				Message:   "Falha no processamento dos dados.",
				Temporary: true,
				Section:   "3.4",
				Meaning: Texts{
					"en":    "temporary failure of the asynchronous processing",
					"pt-BR": "falha temporária no processamento assíncrono",
				},
			},
			KnownError{
				Message:   "Nao foi possivel realizar operacao.",
				Temporary: true,
				Section:   "3.4",
				Meaning: Texts{
					"en":    "internal error or timeout in the API",
					"pt-BR": "erro interno ou tempo esgotado na API",
				},
			},
		},
		ReplyCommon: ReplySettings{
			Signature: Texts{
				"en":    "CrefazOn Partner API Support Team",
				"pt-BR": "Equipe de Suporte API Parceiros – CrefazOn",
			},
			Parts: Texts{
				"en":    "{{define \"greeting\"}}{{if not .Partner}}Hello,{{end}}{{end}}\n{{define \"context\"}}{{if .Partner}}{{if .Path}}Request checked: {{with .Method}}{{.}} {{end}}{{.Path}}{{with .SentAt}}, sent on {{.}}{{end}}{{with .Environment}}, in the {{.}} environment{{end}}.{{else}}Request checked from the details given{{with .SentAt}}, sent on {{.}}{{end}}.{{end}}{{else if .Path}}We looked at the request {{with .Method}}{{.}} {{end}}{{.Path}}{{with .SentAt}}, sent on {{.}}{{end}}{{with .Environment}}, in the {{.}} environment{{end}}.{{else if .SentAt}}We looked at the information you sent us about the request of {{.SentAt}}.{{else}}We looked at the information you sent us about the failing request.{{end}}{{end}}\n{{define \"docs\"}}{{with .Doc}}Documentation on this topic:\n{{.}}{{end}}{{end}}\n{{define \"closing\"}}{{if not .Partner}}{{with .Ticket}}Reference: ticket {{.}}.\n\n{{end}}If you have any questions, we are here to help.\n\nKind regards,\n{{.Signature}}{{end}}{{end}}\n",
				"pt-BR": "{{define \"greeting\"}}{{if not .Partner}}Olá!{{end}}{{end}}\n{{define \"context\"}}{{if .Partner}}{{if .Path}}Requisição conferida: {{with .Method}}{{.}} {{end}}{{.Path}}{{with .SentAt}}, enviada em {{.}}{{end}}{{with .Environment}}, no ambiente de {{.}}{{end}}.{{else}}Requisição conferida a partir dos dados informados{{with .SentAt}}, enviada em {{.}}{{end}}.{{end}}{{else if .Path}}Analisamos a requisição {{with .Method}}{{.}} {{end}}{{.Path}}{{with .SentAt}}, enviada em {{.}}{{end}}{{with .Environment}}, no ambiente de {{.}}{{end}}.{{else if .SentAt}}Analisamos as informações que você nos enviou sobre a requisição de {{.SentAt}}.{{else}}Analisamos as informações que você nos enviou sobre a requisição que falhou.{{end}}{{end}}\n{{define \"docs\"}}{{with .Doc}}Documentação sobre este assunto:\n{{.}}{{end}}{{end}}\n{{define \"closing\"}}{{if not .Partner}}{{with .Ticket}}Referência: chamado {{.}}.\n\n{{end}}Qualquer dúvida, estamos à disposição.\n\nAtenciosamente,\n{{.Signature}}{{end}}{{end}}\n",
			},
		},
		Replies: map[string]Texts{
			"api-key-invalid": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if eq .Key.Problem \"other-environment\"}}The API key sent belongs to the {{.Key.Environment}} environment, but the request was made to the {{.Environment}} environment. Each environment has its own key.{{else if eq .Key.Problem \"inactive\"}}The API key sent is inactive, so the API no longer accepts it.{{else}}The API key sent is not in CrefazOn's records. This usually happens when the key is copied only in part or with extra spaces.{{end}}\n\nWhat to do:\n{{if eq .Key.Problem \"other-environment\"}}1. Set the API key of the {{.Environment}} environment in your application.\n2. Log in again with that key to get a new token.\n3. Repeat the request with the new token.{{else if eq .Key.Problem \"inactive\"}}1. Ask your commercial manager at CrefazOn for a new API key.\n2. Set the new key in your application.\n3. Log in again and repeat the request with the new token.{{else}}1. Copy the API key you received from CrefazOn again, whole and without spaces, and set it in your application.\n2. Log in again to get a new token.\n3. Repeat the request with the new token.\n4. {{if .Partner}}If the error persists, open a ticket so that CrefazOn checks the key with the commercial team.{{else}}If the error persists, answer this ticket so that we can check the key with the commercial team.{{end}}{{end}}\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if eq .Key.Problem \"other-environment\"}}A chave de API enviada é do ambiente de {{.Key.Environment}}, mas a requisição foi feita no ambiente de {{.Environment}}. Cada ambiente tem a sua própria chave.{{else if eq .Key.Problem \"inactive\"}}A chave de API enviada está inativa e, por isso, não é mais aceita pela API.{{else}}A chave de API enviada não consta nos cadastros da CrefazOn. Isso costuma acontecer quando a chave é copiada pela metade ou com espaços a mais.{{end}}\n\nO que fazer:\n{{if eq .Key.Problem \"other-environment\"}}1. Configure na sua aplicação a chave de API do ambiente de {{.Environment}}.\n2. Faça o login novamente com essa chave para obter um novo token.\n3. Repita a requisição com o novo token.{{else if eq .Key.Problem \"inactive\"}}1. Solicite uma nova chave de API ao seu gerente comercial na CrefazOn.\n2. Configure a nova chave na sua aplicação.\n3. Faça o login novamente e repita a requisição com o novo token.{{else}}1. Copie de novo a chave de API recebida da CrefazOn, inteira e sem espaços, e configure-a na sua aplicação.\n2. Faça o login novamente para obter um novo token.\n3. Repita a requisição com o novo token.\n4. {{if .Partner}}Se o erro continuar, abra um chamado para a CrefazOn conferir a chave com a área comercial.{{else}}Se o erro continuar, responda a este chamado para conferirmos a chave com a área comercial.{{end}}{{end}}\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"api-key-missing": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nYour company does not have an active API key for the {{.Environment}} environment yet, and without one the API does not accept the login. Staging and production keys are different, and CrefazOn's commercial team issues them.\n\nWhat to do:\n1. Ask your commercial manager at CrefazOn for an API key for the {{.Environment}} environment.\n2. Set the new key in your application, so that it is sent at login.\n3. Log in again to get a token, then repeat the request.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nA sua empresa ainda não tem uma chave de API ativa para o ambiente de {{.Environment}}, e sem ela a API não aceita o login. As chaves de homologação e de produção são diferentes e são emitidas pela área comercial da CrefazOn.\n\nO que fazer:\n1. Solicite ao seu gerente comercial na CrefazOn uma chave de API para o ambiente de {{.Environment}}.\n2. Configure a chave recebida na sua aplicação, para ser enviada no login.\n3. Faça o login novamente para obter um token e repita a requisição.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"evidence-incomplete": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if .Missing}}To carry on with the analysis, we need {{if eq (len .Missing) 1}}one more piece{{else}}a few more pieces{{end}} of information about the failing request:\n{{range .Missing}}{{if eq . \"api_key\"}}- the API key used in the request (the one set in your application for that environment)\n{{else if eq . \"user\"}}- the login of the user who generated the token\n{{else if eq . \"environment\"}}- the environment called: staging or production\n{{else if eq . \"endpoint\"}}- the full address called (the URL) and the method, for example POST\n{{else if eq . \"payload\"}}- the whole body (JSON) sent\n{{else if eq . \"timestamp\"}}- the date and time the request was sent\n{{else if eq . \"error_message\"}}- the error message received, preferably the API's whole answer (HTTP status and body)\n{{end}}{{end}}\n{{if eq .Capture \"har\"}}If the request comes from a browser, a HAR file holds all of it at once, including the date, the time and the API's answer:\n1. Open the browser's developer tools (F12 key) and select the Network tab.\n2. Repeat the operation that failed.\n3. Right-click the list of requests and choose Save all as HAR.\n4. Attach the file to this ticket.\n\nIf the request comes from your server, send us its log entry with the date and time, the body sent and the answer received.\n\nThe HAR file holds the token and the data sent: attach it only to this ticket.{{else if eq .Capture \"curl\"}}If the request comes from a browser, you can send us the whole request this way:\n1. Open the browser's developer tools (F12 key) and select the Network tab.\n2. Repeat the operation that failed.\n3. Right-click the failing request and choose Copy > Copy as cURL (bash).\n4. Paste the result in your answer to this ticket.\n\nIf the request comes from your server, send us its log entry with the address and the body sent.\n\nThe copied cURL command holds the token and the data sent: send it only through this ticket.{{end}}{{else}}We already have the information we need and are carrying on with the analysis. We will get back to you once it is complete.{{end}}\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if .Missing}}Para continuarmos a análise, precisamos de {{if eq (len .Missing) 1}}mais uma informação{{else}}mais algumas informações{{end}} sobre a requisição que falhou:\n{{range .Missing}}{{if eq . \"api_key\"}}- a chave de API usada na requisição (a mesma configurada na sua aplicação para esse ambiente)\n{{else if eq . \"user\"}}- o login do usuário que gerou o token\n{{else if eq . \"environment\"}}- o ambiente chamado: homologação ou produção\n{{else if eq . \"endpoint\"}}- o endereço completo chamado (a URL) e o método, por exemplo POST\n{{else if eq . \"payload\"}}- o corpo (JSON) enviado, completo\n{{else if eq . \"timestamp\"}}- a data e a hora em que a requisição foi enviada\n{{else if eq . \"error_message\"}}- a mensagem de erro recebida, de preferência a resposta completa da API (código HTTP e corpo)\n{{end}}{{end}}\n{{if eq .Capture \"har\"}}Se a requisição sai de um navegador, um arquivo HAR traz tudo isso de uma vez, inclusive a data, a hora e a resposta da API:\n1. Abra as ferramentas do desenvolvedor do navegador (tecla F12) e selecione a aba Rede.\n2. Repita a operação que falhou.\n3. Clique com o botão direito na lista de requisições e escolha Salvar tudo como HAR.\n4. Anexe o arquivo a este chamado.\n\nSe a requisição sai do seu servidor, envie o registro da chamada com a data e a hora, o corpo enviado e a resposta recebida.\n\nO arquivo HAR contém o token e os dados enviados: anexe-o somente a este chamado.{{else if eq .Capture \"curl\"}}Se a requisição sai de um navegador, você consegue nos enviar a requisição completa assim:\n1. Abra as ferramentas do desenvolvedor do navegador (tecla F12) e selecione a aba Rede.\n2. Repita a operação que falhou.\n3. Clique com o botão direito na requisição com erro e escolha Copiar > Copiar como cURL (bash).\n4. Cole o resultado na resposta deste chamado.\n\nSe a requisição sai do seu servidor, envie o registro da chamada com o endereço e o corpo enviados.\n\nO cURL copiado contém o token e os dados enviados: envie-o somente por este chamado.{{end}}{{else}}Já temos as informações de que precisamos e vamos seguir com a análise. Retornaremos assim que a concluirmos.{{end}}\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"no-apparent-cause": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nWe found no problem in what we checked in this request:\n{{if .Verified.Route}}- the address, API version and environment called\n{{end}}{{if .Verified.Key}}- the API key, which is active and belongs to the environment called\n{{end}}{{if .Verified.User}}- the user, who is active and bound to the API key\n{{end}}{{if .Verified.Token}}- the token, which was valid when the request was made\n{{end}}{{if .Verified.Product}}- the product, available on the API version used\n{{end}}{{if .Verified.Payload}}- the request's body, with the fields the route requires\n{{end}}{{if .Verified.Time}}- the time, within business hours and outside the scheduled routines\n{{end}}\n{{if and (not .Verified.Key) (not .Verified.User)}}CrefazOn will still look up the API key and the user in its records. {{else if not .Verified.Key}}CrefazOn will still look up the API key in its records. {{else if not .Verified.User}}CrefazOn will still look up the user in its records. {{end}}{{if .Escalate}}We have passed the case on to CrefazOn's engineering team with the information you sent, and will get back to you as soon as we hear from them.{{else}}We will get back to you once that is done.{{end}}\n\nMeanwhile, if the error happens again, please note the date and time of each attempt and send them through this ticket.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nNão encontramos problema no que verificamos nesta requisição:\n{{if .Verified.Route}}- o endereço, a versão da API e o ambiente chamados\n{{end}}{{if .Verified.Key}}- a chave de API, que está ativa e é do ambiente chamado\n{{end}}{{if .Verified.User}}- o usuário, que está ativo e vinculado à chave de API\n{{end}}{{if .Verified.Token}}- o token, que estava válido no momento da requisição\n{{end}}{{if .Verified.Product}}- o produto, disponível na versão da API usada\n{{end}}{{if .Verified.Payload}}- o corpo da requisição, com os campos que a rota exige\n{{end}}{{if .Verified.Time}}- o horário, dentro do atendimento e fora das rotinas programadas\n{{end}}\n{{if and (not .Verified.Key) (not .Verified.User)}}A chave de API e o usuário ainda serão conferidos nos cadastros da CrefazOn. {{else if not .Verified.Key}}A chave de API ainda será conferida nos cadastros da CrefazOn. {{else if not .Verified.User}}O usuário ainda será conferido nos cadastros da CrefazOn. {{end}}{{if .Escalate}}Encaminhamos o caso à equipe técnica da CrefazOn, com as informações que você enviou, e retornaremos assim que tivermos uma resposta.{{else}}Retornaremos assim que concluirmos essa verificação.{{end}}\n\nEnquanto isso, se o erro voltar a acontecer, anote a data e a hora de cada tentativa e envie-as neste chamado.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"off-hours-routine": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nThe request was sent {{.Hours.When}}, outside business hours{{if .Hours.Routine}}, during the window of CrefazOn's scheduled routines ({{.Hours.Window}}){{end}}. At such times, {{if .Hours.Routine}}these routines{{else}}CrefazOn's scheduled routines{{end}} may make the API unavailable for a few moments{{if .Hours.Unavailable}}, and the answer you received shows exactly that{{end}}.\n\nWhat to do:\n1. Send the same request again.\n2. If the error comes back, try within business hours: {{.Hours.Days}}, {{.Hours.Open}} to {{.Hours.Close}} Brasília time, except holidays.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nA requisição foi enviada {{.Hours.When}}, fora do horário de atendimento{{if .Hours.Routine}}, durante a janela das rotinas programadas da CrefazOn ({{.Hours.Window}}){{end}}. Nesse período, {{if .Hours.Routine}}essas rotinas{{else}}rotinas programadas da CrefazOn{{end}} podem deixar a API indisponível por alguns instantes{{if .Hours.Unavailable}}, e a resposta que você recebeu indica justamente essa indisponibilidade{{end}}.\n\nO que fazer:\n1. Envie a mesma requisição novamente.\n2. Se o erro se repetir, tente dentro do horário de atendimento: {{.Hours.Days}}, das {{.Hours.Open}} às {{.Hours.Close}}, exceto feriados.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"product-not-on-api": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nThe {{.Product.Name}} product is not available on the partner API: it is only offered through CrefazOn's own web interface.\n\nWhat to do:\n1. Carry out {{.Product.Name}} operations in CrefazOn's web interface.\n2. Keep using the API for the other products.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nO produto {{.Product.Name}} não está disponível na API de parceiros: ele é contratado somente pela {{or .Product.Channel \"interface do CrefazOn\"}}.\n\nO que fazer:\n1. Faça as operações de {{.Product.Name}} pela {{or .Product.Channel \"interface do CrefazOn\"}}.\n2. Continue usando a API para os demais produtos.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"product-version": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nThe {{.Product.Name}} product is only available from version {{.Product.MinVersion}} of the API on, and the request was made on version {{.Product.Version}}.\n\nWhat to do:\n1. Log in through {{.Product.MinVersion}}{{with .Product.MinLogin}} ({{.}}){{end}} to get a token of that version.\n2. Send the {{.Product.Name}} requests through the {{.Product.MinVersion}} routes{{with .Product.MinPrefix}}, which start with {{.}}{{end}}.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nO produto {{.Product.Name}} só está disponível a partir da versão {{.Product.MinVersion}} da API, e a requisição foi feita na versão {{.Product.Version}}.\n\nO que fazer:\n1. Faça o login pela {{.Product.MinVersion}}{{with .Product.MinLogin}} ({{.}}){{end}} para obter um token dessa versão.\n2. Envie as requisições de {{.Product.Name}} pelas rotas da {{.Product.MinVersion}}{{with .Product.MinPrefix}}, que começam com {{.}}{{end}}.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"request-syntax": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if .Payload.NotJSON}}The request's body is not valid JSON{{if .Payload.Truncated}}: it ends before all braces or quotes are closed{{else if .Payload.Line}}: the problem starts at line {{.Payload.Line}}, column {{.Payload.Column}}{{end}}.\n\nWhat to do:\n1. Fix the JSON at that point; a JSON validator helps to find the error.\n2. Send the request again.{{else}}The request's body is not in the shape the route expects. {{if eq (len .Payload.Fields) 1}}We found this problem:{{else}}We found these problems:{{end}}\n{{range .Payload.Fields}}- {{.Name}}: {{.Problem}}\n{{end}}\nWhat to do:\n1. Fix {{if eq (len .Payload.Fields) 1}}this field{{else}}these fields{{end}} as the route's documentation describes.\n2. Send the request again.{{end}}\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if .Payload.NotJSON}}O corpo da requisição não é um JSON válido{{if .Payload.Truncated}}: o conteúdo termina antes de fechar todas as chaves ou aspas{{else if .Payload.Line}}: o problema começa na linha {{.Payload.Line}}, coluna {{.Payload.Column}}{{end}}.\n\nO que fazer:\n1. Corrija o JSON nesse ponto; um validador de JSON ajuda a encontrar o erro.\n2. Envie a requisição novamente.{{else}}O corpo da requisição não está no formato que a rota espera. {{if eq (len .Payload.Fields) 1}}Encontramos este problema:{{else}}Encontramos estes problemas:{{end}}\n{{range .Payload.Fields}}- {{.Name}}: {{.Problem}}\n{{end}}\nO que fazer:\n1. Corrija {{if eq (len .Payload.Fields) 1}}esse campo{{else}}esses campos{{end}} conforme a documentação da rota.\n2. Envie a requisição novamente.{{end}}\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"token-expired": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nThe token sent had already expired when the request was made{{with .Token.ExpiredAt}}: it expired on {{.}}{{end}}{{with .Token.ExpiredBefore}}, {{.}} before the request{{end}}. Each token is valid for {{.Token.Lifetime}} from login.\n\nWhat to do:\n1. Log in again{{with .Token.LoginRoute}} ({{.}}){{end}} to get a new token.\n2. Repeat the request with the new token in the Authorization header.\n3. Have your application renew the token before its {{.Token.Lifetime}} of validity run out.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nO token enviado já tinha expirado quando a requisição foi feita{{with .Token.ExpiredAt}}: ele venceu em {{.}}{{end}}{{with .Token.ExpiredBefore}}, {{.}} antes da requisição{{end}}. Cada token vale por {{.Token.Lifetime}} a partir do login.\n\nO que fazer:\n1. Faça um novo login{{with .Token.LoginRoute}} ({{.}}){{end}} para obter um token novo.\n2. Repita a requisição com o novo token no cabeçalho Authorization.\n3. Programe a sua aplicação para renovar o token sempre antes do fim da validade de {{.Token.Lifetime}}.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"token-invalid": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if eq .Token.Problem \"no-bearer\"}}The token was sent in the Authorization header without the Bearer prefix, so the API does not recognise it.{{else if eq .Token.Problem \"alg-none\"}}The token sent has no signature, so the API's login did not issue it: it was most likely built or changed elsewhere.{{else if eq .Token.Problem \"no-exp\"}}The token sent has no expiry date, and every token issued by the API's login has one: the API did not generate it, or it was changed afterwards.{{else if eq .Token.Problem \"too-long\"}}The token sent is valid for {{.Token.Lasts}}, but tokens issued by the API's login are valid for {{.Token.Lifetime}}: the API did not generate it, or it was changed afterwards.{{else if eq .Token.Problem \"signature\"}}The token's signature does not match the API's: it was changed after login or issued by another environment.{{else}}What was sent in the Authorization header is not a complete token: it seems to have been cut or copied with extra characters.{{end}}\n\nWhat to do:\n1. Log in again{{with .Token.LoginRoute}} ({{.}}){{end}} and keep the token exactly as the API returns it, unchanged.\n2. Send that token in the Authorization header, as Bearer, a space and the token.\n3. Repeat the request.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if eq .Token.Problem \"no-bearer\"}}O token foi enviado no cabeçalho Authorization sem o prefixo Bearer, por isso a API não o reconhece.{{else if eq .Token.Problem \"alg-none\"}}O token enviado não tem assinatura, então não foi emitido pelo login da API: provavelmente foi montado ou alterado fora dela.{{else if eq .Token.Problem \"no-exp\"}}O token enviado não tem data de validade, e todo token emitido pelo login da API tem uma: ele não foi gerado pela API ou foi alterado depois.{{else if eq .Token.Problem \"too-long\"}}O token enviado vale por {{.Token.Lasts}}, mas os tokens emitidos pelo login da API valem por {{.Token.Lifetime}}: ele não foi gerado pela API ou foi alterado depois.{{else if eq .Token.Problem \"signature\"}}A assinatura do token enviado não confere com a da API: ele foi alterado depois do login ou foi emitido por outro ambiente.{{else}}O conteúdo enviado no cabeçalho Authorization não é um token completo: parece ter sido cortado ou copiado com caracteres a mais.{{end}}\n\nO que fazer:\n1. Faça um novo login{{with .Token.LoginRoute}} ({{.}}){{end}} e guarde o token exatamente como a API o devolve, sem alterações.\n2. Envie esse token no cabeçalho Authorization, escrevendo Bearer, um espaço e o token.\n3. Repita a requisição.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"user-blocked": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if eq .User.Problem \"unknown\"}}The user who logged in is not registered at CrefazOn, so the API refuses the requests made with it.{{else}}The user who logged in is blocked or inactive at CrefazOn, so the API refuses the requests made with it.{{end}}\n\nWhat to do:\n{{if eq .User.Problem \"unknown\"}}1. Check that the login used is spelled exactly as it was registered.\n2. If the user does not exist yet, ask the person who manages your company's access to register it.\n3. Log in again and repeat the request.{{else}}1. Ask the person who manages your company's access to reactivate the user, or use another active user.\n2. Log in again and repeat the request.{{end}}\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\n{{if eq .User.Problem \"unknown\"}}O usuário que fez o login não está cadastrado na CrefazOn, por isso a API recusa as requisições feitas com ele.{{else}}O usuário que fez o login está bloqueado ou inativo na CrefazOn, por isso a API recusa as requisições feitas com ele.{{end}}\n\nO que fazer:\n{{if eq .User.Problem \"unknown\"}}1. Confira se o login usado está escrito exatamente como foi cadastrado.\n2. Se o usuário ainda não existe, peça o cadastro ao responsável pelos acessos da sua empresa.\n3. Faça o login novamente e repita a requisição.{{else}}1. Peça ao responsável pelos acessos da sua empresa que reative o usuário, ou use outro usuário ativo.\n2. Faça o login novamente e repita a requisição.{{end}}\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
			"user-key-mismatch": Texts{
				"en":    "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nThe user who logged in is not bound to the API key used{{if .User.OtherPartner}}: the key sent belongs to another partner company{{end}}. Each user of your company logs in with their own login, but always with your company's API key.\n\nWhat to do:\n1. Check which API key your application sends when this user logs in.\n2. Replace it with your company's API key for this environment.\n3. Log in again and repeat the request with the new token.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
				"pt-BR": "{{template \"greeting\" .}}\n\n{{template \"context\" .}}\n\nO usuário que fez o login não está vinculado à chave de API usada{{if .User.OtherPartner}}: a chave enviada pertence a outra empresa parceira{{end}}. Cada usuário da sua empresa entra com o próprio login, mas sempre com a chave de API da sua empresa.\n\nO que fazer:\n1. Confira qual chave de API a sua aplicação envia no login desse usuário.\n2. Troque-a pela chave de API da sua empresa para este ambiente.\n3. Faça o login novamente e repita a requisição com o novo token.\n\n{{template \"docs\" .}}\n\n{{template \"closing\" .}}\n",
			},
		},
		Docs: []Doc{
			Doc{
				ID:    "ambientes",
				Title: "Ambientes e API Keys",
				URL:   "https://api-externo-stag.crefazon.com.br/docs#ambientes",
				Sections: []string{
					"3.2",
					"3.8",
				},
				Categories: []string{
					"api-key-missing",
					"api-key-invalid",
				},
				Keywords: []string{
					"api key",
					"chave",
					"ambiente",
					"homologacao",
					"producao",
				},
			},
			Doc{
				ID:    "autenticacao",
				Title: "Autenticação e token",
				URL:   "https://api-externo-stag.crefazon.com.br/docs#autenticacao",
				Sections: []string{
					"3.3",
					"3.7",
				},
				Categories: []string{
					"token-expired",
					"token-invalid",
					"user-key-mismatch",
					"user-blocked",
				},
				Routes: []string{
					"POST /usuarios/login",
					"POST /Usuario/login",
				},
				Keywords: []string{
					"token",
					"login",
					"jwt",
					"bearer",
					"expirado",
				},
			},
			Doc{
				ID:    "produtos",
				Title: "Produtos disponíveis na API",
				URL:   "https://api-externo-stag.crefazon.com.br/docs#produtos",
				Sections: []string{
					"3.5",
				},
				Categories: []string{
					"product-not-on-api",
					"product-version",
				},
				Keywords: []string{
					"produto",
					"consignado",
					"energia",
					"luz em dia",
					"versao",
				},
			},
			Doc{
				ID:    "pre-analise",
				Title: "Pré-análise",
				URL:   "https://api-externo-stag.crefazon.com.br/docs#pre-analise",
				Sections: []string{
					"3.9",
				},
				Routes: []string{
					"POST /propostas/pre-analise",
				},
				Keywords: []string{
					"pre-analise",
					"cpf",
					"urlNotificacao",
					"webhook",
				},
			},
			Doc{
				ID:    "webhooks",
				Title: "Rotas assíncronas e webhooks",
				URL:   "https://api-externo-stag.crefazon.com.br/docs#webhooks",
				Sections: []string{
					"3.4",
					"3.9",
				},
				Categories: []string{
					"off-hours-routine",
				},
				Routes: []string{
					"GET /propostas/processamento/{processoId}",
				},
				Keywords: []string{
					"webhook",
					"processo",
					"urlNotificacao",
					"202",
				},
			},
			Doc{
				ID:    "payloads",
				Title: "Campos obrigatórios por rota",
				URL:   "https://api-externo-stag.crefazon.com.br/docs#rotas",
				Sections: []string{
					"3.9",
				},
				Categories: []string{
					"request-syntax",
				},
				Keywords: []string{
					"payload",
					"campos",
					"sintaxe",
				},
			},
		},
		Redaction: Redaction{
			Headers: []string{
				"Authorization",
				"Proxy-Authorization",
				"Cookie",
				"Set-Cookie",
				"X-Api-Key",
				"Api-Key",
				"ApiKey",
				"X-Auth-Token",
			},
			Fields: []string{
				"senha",
				"password",
				"apiKey",
				"api_key",
				"token",
				"accessToken",
				"access_token",
				"refresh_token",
				"secret",
				"client_secret",
			},
			Patterns: []RedactionPattern{
				RedactionPattern{
					Name:     "cpf",
					Kind:     "cpf",
					KeepLast: 2,
				},
				RedactionPattern{
					Name:     "cnpj",
					Kind:     "cnpj",
					KeepLast: 2,
				},
				RedactionPattern{
					Name:       "email",
					Kind:       "regex",
					Regex:      "[\\p{L}\\p{N}._%+-]+(?:@|%40|%2540)[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}",
					KeepDomain: true,
				},
				RedactionPattern{
					Name:     "phone",
					Kind:     "phone",
					KeepLast: 4,
				},
			},
			SecretWords: []string{
				"senha",
				"senhas",
				"password",
				"passwd",
				"passphrase",
				"pwd",
				"pass",
				"pin",
				"otp",
				"secret",
				"segredo",
				"token",
				"tokens",
				"key",
				"apikey",
				"chave",
				"auth*",
				"credential*",
				"credencia*",
				"cookie",
				"session",
				"sessao",
				"sid",
				"jwt",
				"bearer",
				"signature",
				"assinatura",
				"subscription",
				"cvv",
				"cvc",
			},
			SafeHeaders: []string{
				"Accept",
				"Accept-Encoding",
				"Accept-Language",
				"Cache-Control",
				"Connection",
				"Content-Length",
				"Content-Type",
				"Content-Encoding",
				"Date",
				"DNT",
				"Host",
				"Origin",
				"Pragma",
				"Priority",
				"Referer",
				"Sec-Ch-Ua",
				"Sec-Ch-Ua-Mobile",
				"Sec-Ch-Ua-Platform",
				"Sec-Fetch-Dest",
				"Sec-Fetch-Mode",
				"Sec-Fetch-Site",
				"Sec-Fetch-User",
				"Sec-Gpc",
				"Te",
				"Transfer-Encoding",
				"Upgrade-Insecure-Requests",
				"User-Agent",
				"Expect",
				"If-Modified-Since",
				"If-None-Match",
				"Keep-Alive",
				"X-Requested-With",
				"Access-Control-Request-Method",
				"Access-Control-Request-Headers",
				"Idempotency-Key",
				"X-Request-Id",
				"X-Correlation-Id",
				"Traceparent",
				"Server",
				"Vary",
				"Etag",
				"Last-Modified",
				"Expires",
				"Location",
				"Retry-After",
				"Strict-Transport-Security",
				"X-Content-Type-Options",
				"Access-Control-Allow-Origin",
				"Access-Control-Allow-Methods",
				"Access-Control-Allow-Headers",
				"X-Powered-By",
				"Request-Context",
				"Age",
				"Via",
			},
			PersonalFields: []string{
				"cliente.nome*",
				"cliente.nomeMae",
				"cliente.nomePai",
				"cliente.nomeSocial",
				"cliente.nascimento",
				"cliente.dataNascimento",
				"cliente.rg",
				"cliente.documento*",
				"nomeCliente",
				"nomeMae",
				"nomePai",
				"nomeCompleto",
				"nomeSocial",
				"dataNascimento",
				"nascimento",
				"contato.nome*",
				"referencias.nome*",
				"titular.nome*",
				"conjuge.nome*",
				"pessoa.nome*",
				"autenticacao.nome",
				"endereco*.*",
				"enderecos.*",
				"cep",
				"logradouro",
				"complemento",
				"bairro",
				"claims.name",
				"claims.nome",
				"claims.given_name",
				"claims.family_name",
				"claims.birthdate",
				"bancario.agencia",
				"bancario.conta",
				"bancario.digito",
				"bancario.numero",
			},
			ReadableFields: []string{
				"endereco*.cidadeId",
				"endereco*.uf",
				"endereco*.nomeCidade",
				"enderecos.cidadeId",
				"enderecos.uf",
			},
		},
		Tickets: Tickets{
			AutoCloseBusinessDays: 3,
			Targets: map[string]Target{
				"default": Target{
					FirstReply: 4,
					Resolution: 16,
				},
				"no-apparent-cause": Target{
					FirstReply: 2,
					Resolution: 24,
				},
				"off-hours-routine": Target{
					FirstReply: 4,
					Resolution: 8,
				},
			},
		},
		Incidents: Incidents{
			Partners: 3,
			Window:   time.Duration(7200000000000),
			Notice: Texts{
				"en":    "We have found a failure affecting several partners on the route {{.Route}} of the {{.Environment}} environment ({{.Incident}}). The technical team is working on it and we will let you know once it is resolved; there is no need to send more evidence.",
				"pt-BR": "Identificamos uma instabilidade que afeta vários parceiros na rota {{.Route}} do ambiente de {{.Environment}} ({{.Incident}}). A equipe técnica já está atuando e avisaremos assim que estiver normalizada; não é preciso reenviar evidências.",
			},
		},
	}
}

func defaultRedactionValue() Redaction {
	return Redaction{
		Headers: []string{
			"Authorization",
			"Proxy-Authorization",
			"Cookie",
			"Set-Cookie",
			"X-Api-Key",
			"Api-Key",
			"ApiKey",
			"X-Auth-Token",
		},
		Fields: []string{
			"senha",
			"password",
			"apiKey",
			"api_key",
			"token",
			"accessToken",
			"access_token",
			"refresh_token",
			"secret",
			"client_secret",
		},
		Patterns: []RedactionPattern{
			RedactionPattern{
				Name:     "cpf",
				Kind:     "cpf",
				KeepLast: 2,
			},
			RedactionPattern{
				Name:     "cnpj",
				Kind:     "cnpj",
				KeepLast: 2,
			},
			RedactionPattern{
				Name:       "email",
				Kind:       "regex",
				Regex:      "[\\p{L}\\p{N}._%+-]+(?:@|%40|%2540)[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}",
				KeepDomain: true,
			},
			RedactionPattern{
				Name:     "phone",
				Kind:     "phone",
				KeepLast: 4,
			},
		},
		SecretWords: []string{
			"senha",
			"senhas",
			"password",
			"passwd",
			"passphrase",
			"pwd",
			"pass",
			"pin",
			"otp",
			"secret",
			"segredo",
			"token",
			"tokens",
			"key",
			"apikey",
			"chave",
			"auth*",
			"credential*",
			"credencia*",
			"cookie",
			"session",
			"sessao",
			"sid",
			"jwt",
			"bearer",
			"signature",
			"assinatura",
			"subscription",
			"cvv",
			"cvc",
		},
		SafeHeaders: []string{
			"Accept",
			"Accept-Encoding",
			"Accept-Language",
			"Cache-Control",
			"Connection",
			"Content-Length",
			"Content-Type",
			"Content-Encoding",
			"Date",
			"DNT",
			"Host",
			"Origin",
			"Pragma",
			"Priority",
			"Referer",
			"Sec-Ch-Ua",
			"Sec-Ch-Ua-Mobile",
			"Sec-Ch-Ua-Platform",
			"Sec-Fetch-Dest",
			"Sec-Fetch-Mode",
			"Sec-Fetch-Site",
			"Sec-Fetch-User",
			"Sec-Gpc",
			"Te",
			"Transfer-Encoding",
			"Upgrade-Insecure-Requests",
			"User-Agent",
			"Expect",
			"If-Modified-Since",
			"If-None-Match",
			"Keep-Alive",
			"X-Requested-With",
			"Access-Control-Request-Method",
			"Access-Control-Request-Headers",
			"Idempotency-Key",
			"X-Request-Id",
			"X-Correlation-Id",
			"Traceparent",
			"Server",
			"Vary",
			"Etag",
			"Last-Modified",
			"Expires",
			"Location",
			"Retry-After",
			"Strict-Transport-Security",
			"X-Content-Type-Options",
			"Access-Control-Allow-Origin",
			"Access-Control-Allow-Methods",
			"Access-Control-Allow-Headers",
			"X-Powered-By",
			"Request-Context",
			"Age",
			"Via",
		},
		PersonalFields: []string{
			"cliente.nome*",
			"cliente.nomeMae",
			"cliente.nomePai",
			"cliente.nomeSocial",
			"cliente.nascimento",
			"cliente.dataNascimento",
			"cliente.rg",
			"cliente.documento*",
			"nomeCliente",
			"nomeMae",
			"nomePai",
			"nomeCompleto",
			"nomeSocial",
			"dataNascimento",
			"nascimento",
			"contato.nome*",
			"referencias.nome*",
			"titular.nome*",
			"conjuge.nome*",
			"pessoa.nome*",
			"autenticacao.nome",
			"endereco*.*",
			"enderecos.*",
			"cep",
			"logradouro",
			"complemento",
			"bairro",
			"claims.name",
			"claims.nome",
			"claims.given_name",
			"claims.family_name",
			"claims.birthdate",
			"bancario.agencia",
			"bancario.conta",
			"bancario.digito",
			"bancario.numero",
		},
		ReadableFields: []string{
			"endereco*.cidadeId",
			"endereco*.uf",
			"endereco*.nomeCidade",
			"enderecos.cidadeId",
			"enderecos.uf",
		},
	}
}

func ptrTo[T any](v T) *T { return &v }

var _ = time.Duration(0)
